using Orleans.Concurrency;

namespace AirQuality.Contracts.Index;

/// <summary>
/// One tile of the sensor index, keyed by its tile id (a lower-case geohash of the scheme's precision, e.g.
/// "u31"): the summaries of the sensors standing in it.
/// </summary>
[Alias("aq.index.ITileIndexGrain")]
public interface ITileIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces a sensor's summary.</summary>
    [Alias("Upsert")]
    Task Upsert(SensorSummary summary);

    /// <summary>Removes a sensor (nothing when it is not here).</summary>
    [Alias("Remove")]
    Task Remove(string sensorId);

    /// <summary>
    /// The tile's sensors matching <paramref name="query"/>'s filters (its paging fields are ignored):
    /// the count, and the first <paramref name="limit"/> with an id ordinally after <paramref name="afterId"/>.
    /// </summary>
    [ReadOnly]
    [Alias("Query")]
    Task<TileMatches> Query(SensorQuery query, string? afterId, int limit);
}

/// <summary>
/// Which tiles hold a country's sensors, keyed by the ISO 3166-1 alpha-2 code ("DE"): sensor id to tile,
/// so a country query touches only those tiles.
/// </summary>
[Alias("aq.index.ICountryIndexGrain")]
public interface ICountryIndexGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(string sensorId, string tile);

    [Alias("Remove")]
    Task Remove(string sensorId);

    /// <summary>The distinct tiles holding this country's sensors, ordinally sorted.</summary>
    [ReadOnly]
    [Alias("Tiles")]
    Task<IReadOnlyList<string>> Tiles();
}
