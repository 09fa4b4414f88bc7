namespace AirQuality.Contracts.Index;

/// <summary>A box in degrees, [minLon, minLat, maxLon, maxLat]; minLon &gt; maxLon crosses the antimeridian.</summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.GeoBox")]
public sealed record GeoBox(
    [property: Id(0)] double MinLon,
    [property: Id(1)] double MinLat,
    [property: Id(2)] double MaxLon,
    [property: Id(3)] double MaxLat);

/// <summary>Sensors within <see cref="RadiusKm"/> (great-circle) of a point.</summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.GeoCircle")]
public sealed record GeoCircle(
    [property: Id(0)] double Latitude,
    [property: Id(1)] double Longitude,
    [property: Id(2)] double RadiusKm);

/// <summary>
/// A list query. At least one of <see cref="Bbox"/>, <see cref="Near"/> or <see cref="Country"/> is
/// required (the index is never scanned whole); every filter given must hold. <see cref="MinIndex"/> and
/// <see cref="MaxIndex"/> (inclusive) need a <see cref="Standard"/>; a standard alone keeps the sensors
/// that have an index under it. <see cref="First"/> is clamped to 1..500; <see cref="After"/> is the
/// end cursor of the previous page of the same query.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.SensorQuery")]
public sealed record SensorQuery
{
    public const int DefaultFirst = 50;
    public const int MaxFirst = 500;

    [Id(0)] public GeoBox? Bbox { get; init; }

    [Id(1)] public GeoCircle? Near { get; init; }

    [Id(2)] public string? Country { get; init; }

    [Id(3)] public IndexStandard? Standard { get; init; }

    [Id(4)] public int? MinIndex { get; init; }

    [Id(5)] public int? MaxIndex { get; init; }

    [Id(6)] public SensorStatusView? Status { get; init; }

    [Id(7)] public int First { get; init; } = DefaultFirst;

    [Id(8)] public string? After { get; init; }
}

/// <summary>
/// One page: matching sensors ordered by id, the cursor of the last one, whether more follow, and how many
/// sensors match the query in all.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.SensorPage")]
public sealed record SensorPage(
    [property: Id(0)] IReadOnlyList<SensorSummary> Items,
    [property: Id(1)] string? EndCursor,
    [property: Id(2)] bool HasNextPage,
    [property: Id(3)] int TotalCount);

/// <summary>
/// What one tile answers: how many of its sensors match, and the first <c>limit</c> of them after the
/// cursor's id, in id order (so no more than a page crosses the wire from any tile).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.TileMatches")]
public sealed record TileMatches(
    [property: Id(0)] int Count,
    [property: Id(1)] IReadOnlyList<SensorSummary> Items);

/// <summary>A query the caller can fix: invalid bbox, too large an area, a cursor from another query...</summary>
public sealed class SensorQueryException : Exception
{
    public SensorQueryException()
    {
    }

    public SensorQueryException(string message)
        : base(message)
    {
    }

    public SensorQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
