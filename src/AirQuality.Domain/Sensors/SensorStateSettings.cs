using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Sensors;

/// <summary>
/// How much a sensor keeps. Each quantity with history costs about 2.2 KB per sensor (48 hours and 90 days
/// at the defaults); the others keep their latest value only.
/// </summary>
public sealed record SensorStateSettings(int Hours = 48, int Days = 90, IReadOnlySet<QuantityKind>? HistoryKinds = null)
{
    /// <summary>Every known quantity keeps history unless told otherwise.</summary>
    public static IReadOnlySet<QuantityKind> AllKnown { get; } = Quantity.Known.Select(q => q.Kind).ToHashSet();

    public static SensorStateSettings Default { get; } = new();

    public bool KeepsHistory(QuantityKind kind) => kind != QuantityKind.Other && (HistoryKinds ?? AllKnown).Contains(kind);
}
