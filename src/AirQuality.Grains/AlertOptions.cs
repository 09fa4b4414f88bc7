using AirQuality.Domain.Alerts;
using AirQuality.Domain.Aqi;

namespace AirQuality.Grains;

/// <summary>
/// Alert rules (configuration section "Alerts"): defaults for every sensor, overrides per country and per
/// sensor (same rule id replaces; Enabled = false removes).
/// </summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// Local defaults: US AQI "Unhealthy" (151+) for an hour, cleared at 140; a sensor silent for 2 hours;
    /// PM2.5 stuck for 20 readings.
    /// </summary>
    public List<AlertRule> Rules { get; set; } =
    [
        AlertRule.AqiAtLeast("us-aqi-unhealthy", AqiStandardId.UsEpa2024, 151, 140, TimeSpan.FromHours(1), TimeSpan.FromHours(6)),
        AlertRule.Offline("offline", TimeSpan.FromHours(2), TimeSpan.FromHours(24)),
        AlertRule.Stuck("pm25-stuck", Domain.Quantities.QuantityKind.Pm25, 20, TimeSpan.Zero, "info"),
    ];

    /// <summary>
    /// How often the alert clock looks for sensors due a time-based check (an offline deadline passed, a
    /// sustain ended, a re-notify came round). Such alerts are raised up to this much late. Default 1 minute.
    /// </summary>
    public TimeSpan ClockInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the cluster's alert index keeps cleared alerts listable (alerts(state: CLEARED)). Default 7 days.
    /// </summary>
    public TimeSpan ClearedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// At most this many cleared alerts per index shard (16 shards), the oldest cleared going first, so a
    /// storm of alerts cannot grow the index without bound. Default 1,000.
    /// </summary>
    public int ClearedPerShard { get; set; } = 1_000;

    public Dictionary<string, List<AlertRule>> CountryOverrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<AlertRule>> SensorOverrides { get; set; } = new(StringComparer.Ordinal);

    public IReadOnlyList<AlertRule> RulesFor(string sensorId, string? country) => AlertRuleSet.Resolve(
        Rules,
        country is not null && CountryOverrides.TryGetValue(country, out var area) ? area : null,
        SensorOverrides.TryGetValue(sensorId, out var own) ? own : null);

    public IEnumerable<string> Problems() =>
        Rules.Concat(CountryOverrides.Values.SelectMany(r => r)).Concat(SensorOverrides.Values.SelectMany(r => r))
            .SelectMany(r => r.Problems()).Select(p => "Alerts: " + p)
            .Concat(ClockInterval < TimeSpan.FromSeconds(1) || ClockInterval > TimeSpan.FromHours(1)
                ? [$"Alerts:ClockInterval must be between 1 second and 1 hour, got {ClockInterval}"]
                : [])
            .Concat(ClearedRetention < TimeSpan.Zero ? [$"Alerts:ClearedRetention must not be negative, got {ClearedRetention}"] : [])
            .Concat(ClearedPerShard is < 0 or > 100_000 ? [$"Alerts:ClearedPerShard must be 0-100000, got {ClearedPerShard}"] : []);
}
