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

    /// <summary>Geohash characters per tile. Changing it needs a rebuilt index. Default 3 (~156 km).</summary>
    public int TilePrecision { get; set; } = 3;

    private TileScheme? _scheme;

    public TileScheme Scheme => _scheme ??= TilePrecision == TileScheme.Default.Precision ? TileScheme.Default : new TileScheme(TilePrecision);
}
