namespace AirQuality.Grains;

/// <summary>
/// The persisted form of a sensor: the domain's own versioned binary snapshot (a few KB), so storage
/// holds one compact value per sensor and the domain library stays free of Orleans.
/// </summary>
[GenerateSerializer]
[Alias("aq.sensor.SensorGrainState")]
public sealed class SensorGrainState
{
    [Id(0)]
    public byte[]? Snapshot { get; set; }

    /// <summary>The alert book's snapshot: pending conditions and open alerts.</summary>
    [Id(1)]
    public byte[]? Alerts { get; set; }
}
