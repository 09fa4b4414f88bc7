using AirQuality.Domain.Spatial;

namespace AirQuality.Grains.Index;

/// <summary>Settings of the index grains (configuration section "SensorIndex").</summary>
public sealed class SensorIndexOptions
{
    public const string Section = "SensorIndex";

    /// <summary>
    /// How long a changed tile or country index may wait before it is written. A tile's state is every
    /// summary in it (a few KB to tens of KB), so writing on every sensor change would rewrite it once per
    /// update of any of its sensors; write-behind makes it one write per interval. Always written on
    /// deactivation (graceful shutdown included). Zero writes on every change. Default 2 seconds.
    /// </summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a changed tile (or overview region) may wait before it reports its aggregate to the region
    /// above it (<see cref="AirQuality.Contracts.Index.IRegionIndexGrain"/>): changes within one interval make
    /// one report, so a region hears from each of its cells at most once per interval and the overview lags the
    /// tiles by about an interval per level (precision 3 cells: one interval, precision 1 and 2: two). Zero
    /// reports every change at once. Default 5 seconds.
    /// </summary>
    public TimeSpan OverviewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Geohash characters per tile. Changing it needs a rebuilt index. Default 3 (~156 km).</summary>
    public int TilePrecision { get; set; } = 3;

    private TileScheme? _scheme;

    public IEnumerable<string> Problems()
    {
        if (PersistInterval < TimeSpan.Zero || PersistInterval > TimeSpan.FromMinutes(10))
        {
            yield return "SensorIndex:PersistInterval must be between 0 and 10 minutes";
        }

        if (OverviewInterval < TimeSpan.Zero || OverviewInterval > TimeSpan.FromMinutes(10))
        {
            yield return "SensorIndex:OverviewInterval must be between 0 and 10 minutes";
        }

        if (TilePrecision != TileScheme.Default.Precision)
        {
            // The directories that plan queries (in the gateway, the export, the REST API) use the default scheme.
            yield return $"SensorIndex:TilePrecision must be {TileScheme.Default.Precision}: the query directories assume it";
        }
    }

    public TileScheme Scheme => _scheme ??= TilePrecision == TileScheme.Default.Precision ? TileScheme.Default : new TileScheme(TilePrecision);
}
