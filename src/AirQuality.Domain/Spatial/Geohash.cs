namespace AirQuality.Domain.Spatial;

/// <summary>
/// Geohash: a point's cell as base-32 text whose bits interleave longitude and latitude halvings,
/// longitude first. A longer hash is a smaller cell inside the shorter one.
/// </summary>
public static class Geohash
{
    public const int MaxPrecision = 12;

    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    /// <summary>The cell of (latitude, longitude) as a geohash of <paramref name="precision"/> characters.</summary>
    public static string Encode(double latitude, double longitude, int precision)
    {
        GeoMath.CheckPoint(latitude, longitude);
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, MaxPrecision);

        double latLo = -90, latHi = 90, lonLo = -180, lonHi = 180;
        Span<char> chars = stackalloc char[precision];
        var even = true;
        for (var i = 0; i < precision; i++)
        {
            var value = 0;
            for (var bit = 0; bit < 5; bit++)
            {
                if (even)
                {
                    var mid = (lonLo + lonHi) / 2;
                    if (longitude >= mid)
                    {
                        value = (value << 1) | 1;
                        lonLo = mid;
                    }
                    else
                    {
                        value <<= 1;
                        lonHi = mid;
                    }
                }
                else
                {
                    var mid = (latLo + latHi) / 2;
                    if (latitude >= mid)
                    {
                        value = (value << 1) | 1;
                        latLo = mid;
                    }
                    else
                    {
                        value <<= 1;
                        latHi = mid;
                    }
                }

                even = !even;
            }

            chars[i] = Alphabet[value];
        }

        return new string(chars);
    }

    /// <summary>The cell a geohash names (case-insensitive).</summary>
    public static GeohashCell Decode(string geohash)
    {
        if (Problem(geohash) is { } problem)
        {
            throw new ArgumentException(problem, nameof(geohash));
        }

        double latLo = -90, latHi = 90, lonLo = -180, lonHi = 180;
        var even = true;
        foreach (var c in geohash)
        {
            var value = Alphabet.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
            for (var bit = 4; bit >= 0; bit--)
            {
                var set = ((value >> bit) & 1) == 1;
                if (even)
                {
                    var mid = (lonLo + lonHi) / 2;
                    if (set)
                    {
                        lonLo = mid;
                    }
                    else
                    {
                        lonHi = mid;
                    }
                }
                else
                {
                    var mid = (latLo + latHi) / 2;
                    if (set)
                    {
                        latLo = mid;
                    }
                    else
                    {
                        latHi = mid;
                    }
                }

                even = !even;
            }
        }

        return new GeohashCell(latLo, latHi, lonLo, lonHi);
    }

    /// <summary>Null when <paramref name="geohash"/> is a geohash of 1..12 characters; otherwise why not.</summary>
    public static string? Problem(string? geohash)
    {
        if (string.IsNullOrEmpty(geohash))
        {
            return "geohash is empty";
        }

        if (geohash.Length > MaxPrecision)
        {
            return $"geohash is longer than {MaxPrecision} characters";
        }

        foreach (var c in geohash)
        {
            if (!Alphabet.Contains(char.ToLowerInvariant(c), StringComparison.Ordinal))
            {
                return $"'{c}' is not a geohash character";
            }
        }

        return null;
    }

    /// <summary>Width in degrees of longitude of a cell of <paramref name="precision"/> characters.</summary>
    public static double CellWidth(int precision) => 360.0 / (1L << LonBits(precision));

    /// <summary>Height in degrees of latitude of a cell of <paramref name="precision"/> characters.</summary>
    public static double CellHeight(int precision) => 180.0 / (1L << LatBits(precision));

    internal static int LonBits(int precision) => ((5 * precision) + 1) / 2;

    internal static int LatBits(int precision) => 5 * precision / 2;
}

/// <summary>A geohash cell's bounds: latitude in [MinLat, MaxLat), longitude in [MinLon, MaxLon).</summary>
public readonly record struct GeohashCell(double MinLat, double MaxLat, double MinLon, double MaxLon)
{
    public double CenterLat => (MinLat + MaxLat) / 2;

    public double CenterLon => (MinLon + MaxLon) / 2;
}
