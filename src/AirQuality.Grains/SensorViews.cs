using AirQuality.Contracts;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Sensors;
using AirQuality.Domain.Windows;

namespace AirQuality.Grains;

/// <summary>Maps the domain's sensor state to the views that cross grain calls.</summary>
internal static class SensorViews
{
    public static SensorView Of(SensorState state, DateTimeOffset now, TimeSpan staleAfter) => new(
        state.SensorId,
        state.Location is { } l ? new LocationView(l.Latitude, l.Longitude, l.Altitude, l.Country, l.Indoor) : null,
        state.SensorType,
        state.Status(now, staleAfter) switch
        {
            SensorStatus.Online => SensorStatusView.Online,
            SensorStatus.Stale => SensorStatusView.Stale,
            _ => SensorStatusView.NeverSeen,
        },
        state.FirstSeen,
        state.LastSeen,
        state.Latest.Select(v => new MeasurementView(v.Quantity.Name, v.Value, v.Quantity.CanonicalUnit.ToSymbol(), v.Timestamp)).ToArray(),
        AqiStandard.All.Select(s => Of(s, state.ComputeAqi(s, now))).ToArray(),
        state.Name);

    public static AqiView Of(AqiStandard standard, SensorAqi aqi)
    {
        var overall = aqi.Overall;
        var dominant = overall.DominantPollutant is { } p ? aqi.Parts.FirstOrDefault(x => x.Pollutant == p) : (SubIndex?)null;
        return new AqiView(
            standard.Name,
            overall.IndexOrNull,
            overall.Category?.Name ?? "Insufficient data",
            overall.Category?.Color,
            overall.DominantPollutant?.ToName(),
            dominant?.Averaging.ToName(),
            aqi.ValidAt,
            overall.Status == AqiStatus.BeyondIndex);
    }

    public static AggregateView Of(string quantity, HourlyAggregate h) =>
        new(quantity, h.PeriodStart, h.PeriodEnd, NullIfNaN(h.Mean), NullIfNaN(h.Min), NullIfNaN(h.Max), h.Count, h.Coverage);

    public static AggregateView Of(string quantity, DailyAggregate d) =>
        new(quantity, d.PeriodStart, d.PeriodEnd, NullIfNaN(d.Mean), NullIfNaN(d.Min), NullIfNaN(d.Max), d.Count, d.Coverage);

    public static AlertView Of(Domain.Alerts.Alert alert) => new(
        alert.Id,
        alert.SensorId,
        alert.RuleId,
        alert.State switch
        {
            Domain.Alerts.AlertState.Active => AlertStateView.Active,
            Domain.Alerts.AlertState.Acknowledged => AlertStateView.Acknowledged,
            _ => AlertStateView.Cleared,
        },
        alert.Severity,
        alert.RaisedAt,
        alert.AcknowledgedAt,
        alert.ClearedAt,
        alert.TriggerValue,
        alert.Message);

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}
