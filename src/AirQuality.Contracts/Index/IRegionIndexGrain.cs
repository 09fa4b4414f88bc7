using Orleans.Concurrency;

namespace AirQuality.Contracts.Index;

/// <summary>
/// The overview of one region of the index, keyed by a lower-case geohash shorter than a tile ("u3" holds
/// the 32 tiles "u30".."u3z"; "u" holds the 32 regions "u0".."uz"): the <see cref="CellAggregate"/> of each
/// non-empty cell one character longer inside it. Tiles report to their region, regions to the region one
/// character shorter, each at most once per SensorIndex:OverviewInterval, so a region lags its tiles by
/// about an interval per level.
/// </summary>
[Alias("aq.index.IRegionIndexGrain")]
public interface IRegionIndexGrain : IGrainWithStringKey
{
    /// <summary>A cell inside this region reports its aggregate; a count of zero takes it out.</summary>
    [Alias("Report")]
    Task Report(CellAggregate cell);

    /// <summary>The non-empty cells inside this region, ordinally by key, their statuses as of now.</summary>
    [ReadOnly]
    [Alias("Cells")]
    Task<IReadOnlyList<CellAggregate>> Cells();
}
