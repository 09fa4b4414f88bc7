namespace AirQuality.Contracts.Index;

/// <summary>
/// What the index keeps of one sensor: enough to answer list queries without activating the sensor.
/// Indices are the overall index under each standard, null with insufficient data.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.SensorSummary")]
public sealed record SensorSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] double Latitude,
    [property: Id(2)] double Longitude,
    [property: Id(3)] string? Country,
    [property: Id(4)] bool? Indoor,
    [property: Id(5)] SensorStatusView Status,
    [property: Id(6)] DateTimeOffset? LastSeen,
    [property: Id(7)] int? UsIndex,
    [property: Id(8)] int? UkIndex,
    [property: Id(9)] int? EuIndex)
{
    public int? IndexUnder(IndexStandard standard) => standard switch
    {
        IndexStandard.UsEpa2024 => UsIndex,
        IndexStandard.UkDaqi => UkIndex,
        _ => EuIndex,
    };
}

/// <summary>The standards a query can filter on (the GraphQL AqiStandard).</summary>
[GenerateSerializer]
[Alias("aq.index.IndexStandard")]
public enum IndexStandard
{
    UsEpa2024,
    UkDaqi,
    EuEaqi2024,
}
