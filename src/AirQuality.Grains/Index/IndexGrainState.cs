using AirQuality.Contracts.Index;

namespace AirQuality.Grains.Index;

/// <summary>A tile's persisted state: its sensors' summaries by sensor id.</summary>
[GenerateSerializer]
[Alias("aq.index.TileIndexState")]
public sealed class TileIndexState
{
    [Id(0)] public Dictionary<string, SensorSummary> Sensors { get; set; } = [];
}

/// <summary>A country index's persisted state: the tile of each of its sensors, by sensor id.</summary>
[GenerateSerializer]
[Alias("aq.index.CountryIndexState")]
public sealed class CountryIndexState
{
    [Id(0)] public Dictionary<string, string> TileOfSensor { get; set; } = [];
}

/// <summary>An overview region's persisted state: the aggregate of each non-empty cell inside it, by cell key.</summary>
[GenerateSerializer]
[Alias("aq.index.RegionIndexState")]
public sealed class RegionIndexState
{
    [Id(0)] public Dictionary<string, CellAggregate> Cells { get; set; } = [];
}
