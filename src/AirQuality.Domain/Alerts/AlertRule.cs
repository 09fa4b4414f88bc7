using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Alerts;

public enum AlertRuleKind : byte
{
    /// <summary>The overall index under a standard is at or above a level.</summary>
    AqiAtLeast,

    /// <summary>A quantity's latest value is above a threshold.</summary>
    QuantityAbove,

    /// <summary>A quantity's latest value is below a threshold.</summary>
    QuantityBelow,

    /// <summary>No reading for longer than a period.</summary>
    Offline,

    /// <summary>The same value of a quantity N times in a row: a stuck sensor.</summary>
    Stuck,
}

/// <summary>
/// One alert rule. Every rule has a raise condition and a separate, easier-to-leave clear condition
/// (hysteresis), a time the raise condition must hold before an alert is raised, and an interval after which
/// an alert still active is notified again. Build rules with the factory methods; <see cref="Problems"/>
/// says what is wrong with one built by hand.
/// </summary>
public sealed record AlertRule
{
    public required string Id { get; init; }

    public required AlertRuleKind Kind { get; init; }

    /// <summary>False in an override switches the rule of the same id off for that area or sensor.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>info, warning or critical.</summary>
    public string Severity { get; init; } = "warning";

    public AqiStandardId Standard { get; init; }

    /// <summary>AqiAtLeast: raise at or above this index.</summary>
    public int Level { get; init; }

    /// <summary>AqiAtLeast: clear at or below this index (below <see cref="Level"/>: hysteresis).</summary>
    public int ClearLevel { get; init; }

    public QuantityKind Quantity { get; init; }

    /// <summary>QuantityAbove/Below: raise beyond this value (canonical unit).</summary>
    public double Threshold { get; init; }

    /// <summary>QuantityAbove/Below: clear once back beyond this value, on the safe side of the threshold.</summary>
    public double ClearThreshold { get; init; }

    /// <summary>Offline: raise when the last reading is older than this.</summary>
    public TimeSpan OfflineAfter { get; init; }

    /// <summary>Stuck: raise after this many equal values in a row.</summary>
    public int StuckCount { get; init; }

    /// <summary>How long the raise condition must hold before an alert is raised. Zero raises at once.</summary>
    public TimeSpan SustainFor { get; init; }

    /// <summary>An alert still ACTIVE is notified again after this long. Zero never re-notifies.</summary>
    public TimeSpan RenotifyEvery { get; init; }

    public static AlertRule AqiAtLeast(string id, AqiStandardId standard, int level, int clearLevel, TimeSpan sustainFor, TimeSpan renotifyEvery, string severity = "warning") =>
        new() { Id = id, Kind = AlertRuleKind.AqiAtLeast, Standard = standard, Level = level, ClearLevel = clearLevel, SustainFor = sustainFor, RenotifyEvery = renotifyEvery, Severity = severity };

    public static AlertRule Above(string id, QuantityKind quantity, double threshold, double clearThreshold, TimeSpan sustainFor, TimeSpan renotifyEvery, string severity = "warning") =>
        new() { Id = id, Kind = AlertRuleKind.QuantityAbove, Quantity = quantity, Threshold = threshold, ClearThreshold = clearThreshold, SustainFor = sustainFor, RenotifyEvery = renotifyEvery, Severity = severity };

    public static AlertRule Below(string id, QuantityKind quantity, double threshold, double clearThreshold, TimeSpan sustainFor, TimeSpan renotifyEvery, string severity = "warning") =>
        new() { Id = id, Kind = AlertRuleKind.QuantityBelow, Quantity = quantity, Threshold = threshold, ClearThreshold = clearThreshold, SustainFor = sustainFor, RenotifyEvery = renotifyEvery, Severity = severity };

    public static AlertRule Offline(string id, TimeSpan offlineAfter, TimeSpan renotifyEvery, string severity = "warning") =>
        new() { Id = id, Kind = AlertRuleKind.Offline, OfflineAfter = offlineAfter, RenotifyEvery = renotifyEvery, Severity = severity };

    public static AlertRule Stuck(string id, QuantityKind quantity, int count, TimeSpan renotifyEvery, string severity = "info") =>
        new() { Id = id, Kind = AlertRuleKind.Stuck, Quantity = quantity, StuckCount = count, RenotifyEvery = renotifyEvery, Severity = severity };

    /// <summary>Everything wrong with the rule, so configuration errors are reported whole at start-up.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Id) || Id.Length > 64)
        {
            yield return "a rule needs an id of 1-64 characters";
        }

        if (Severity is not ("info" or "warning" or "critical"))
        {
            yield return $"rule '{Id}': severity must be info, warning or critical";
        }

        if (SustainFor < TimeSpan.Zero || RenotifyEvery < TimeSpan.Zero)
        {
            yield return $"rule '{Id}': SustainFor and RenotifyEvery must not be negative";
        }

        switch (Kind)
        {
            case AlertRuleKind.AqiAtLeast when Level <= 0 || ClearLevel >= Level || ClearLevel < 0:
                yield return $"rule '{Id}': an AQI rule needs Level > 0 and 0 <= ClearLevel < Level (hysteresis)";
                break;
            case AlertRuleKind.QuantityAbove when Quantity == QuantityKind.Other || !(ClearThreshold < Threshold):
                yield return $"rule '{Id}': an 'above' rule needs a known quantity and ClearThreshold < Threshold";
                break;
            case AlertRuleKind.QuantityBelow when Quantity == QuantityKind.Other || !(ClearThreshold > Threshold):
                yield return $"rule '{Id}': a 'below' rule needs a known quantity and ClearThreshold > Threshold";
                break;
            case AlertRuleKind.Offline when OfflineAfter <= TimeSpan.Zero:
                yield return $"rule '{Id}': an offline rule needs OfflineAfter > 0";
                break;
            case AlertRuleKind.Stuck when Quantity == QuantityKind.Other || StuckCount < 2:
                yield return $"rule '{Id}': a stuck rule needs a known quantity and StuckCount >= 2";
                break;
        }
    }
}
