namespace AirQuality.Domain.Spatial;

/// <summary>
/// How the sensor index is cut into tiles: a tile is a geohash prefix of fixed <see cref="Precision"/>
/// (3 characters by default: 1.40625° x 1.40625°, about 156 x 156 km at the equator). A query may touch at
/// most <see cref="MaxTiles"/> tiles; a larger area is refused rather than scanned.
/// </summary>
public sealed class TileScheme
{
    public TileScheme(int precision = 3, int maxTiles = 512)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 6);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTiles, 1);
        Precision = precision;
        MaxTiles = maxTiles;
    }

    public static TileScheme Default { get; } = new();

    public int Precision { get; }

    public int MaxTiles { get; }

    /// <summary>The tile holding (latitude, longitude).</summary>
    public string TileOf(double latitude, double longitude) => Geohash.Encode(latitude, longitude, Precision);

    /// <summary>Null when <paramref name="tile"/> is a tile id of this scheme (lower-case geohash of its precision).</summary>
    public string? TileProblem(string? tile) =>
        Geohash.Problem(tile) is { } problem ? problem
        : tile!.Length != Precision ? $"tile '{tile}' is not {Precision} characters long"
        : !string.Equals(tile, tile.ToLowerInvariant(), StringComparison.Ordinal) ? $"tile '{tile}' is not lower case"
        : null;

    /// <summary>How many tiles cover <paramref name="box"/>.</summary>
    public long CountTiles(BoundingBox box) => box.Split().Sum(part =>
    {
        var (lat0, lat1, lon0, lon1) = Range(part);
        return (long)(lat1 - lat0 + 1) * (lon1 - lon0 + 1);
    });

    /// <summary>
    /// The tiles covering <paramref name="box"/> (each once, across the antimeridian too), or an
    /// <see cref="ArgumentException"/> when that is more than <see cref="MaxTiles"/>.
    /// </summary>
    public IReadOnlyList<string> TilesCovering(BoundingBox box)
    {
        var count = CountTiles(box);
        if (count > MaxTiles)
        {
            throw new ArgumentException(
                $"the area covers {count} index tiles, more than the {MaxTiles} a query may touch; narrow the bbox, radius or country");
        }

        var width = Geohash.CellWidth(Precision);
        var height = Geohash.CellHeight(Precision);
        var tiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in box.Split())
        {
            var (lat0, lat1, lon0, lon1) = Range(part);
            for (var y = lat0; y <= lat1; y++)
            {
                for (var x = lon0; x <= lon1; x++)
                {
                    tiles.Add(TileOf(-90 + ((y + 0.5) * height), -180 + ((x + 0.5) * width)));
                }
            }
        }

        var result = tiles.ToArray();
        Array.Sort(result, StringComparer.Ordinal);
        return result;
    }

    /// <summary>Row and column ranges (inclusive) of the cells a non-crossing box touches.</summary>
    private (int Lat0, int Lat1, int Lon0, int Lon1) Range(BoundingBox part)
    {
        var rows = 1 << Geohash.LatBits(Precision);
        var columns = 1 << Geohash.LonBits(Precision);
        var height = Geohash.CellHeight(Precision);
        var width = Geohash.CellWidth(Precision);
        static int Clamp(double v, int n) => Math.Clamp((int)Math.Floor(v), 0, n - 1);
        return (
            Clamp((part.MinLat + 90) / height, rows),
            Clamp((part.MaxLat + 90) / height, rows),
            Clamp((part.MinLon + 180) / width, columns),
            Clamp((part.MaxLon + 180) / width, columns));
    }
}
