namespace AirQuality.Domain.Spatial;

/// <summary>
/// A longitude/latitude box, edges included. When <see cref="MinLon"/> &gt; <see cref="MaxLon"/> the box
/// crosses the antimeridian: it spans from MinLon east to 180 and from -180 east to MaxLon.
/// </summary>
public readonly record struct BoundingBox
{
    private BoundingBox(double minLon, double minLat, double maxLon, double maxLat)
    {
        MinLon = minLon;
        MinLat = minLat;
        MaxLon = maxLon;
        MaxLat = maxLat;
    }

    public double MinLon { get; }

    public double MinLat { get; }

    public double MaxLon { get; }

    public double MaxLat { get; }

    public bool CrossesAntimeridian => MinLon > MaxLon;

    /// <summary>The whole Earth.</summary>
    public static BoundingBox World { get; } = new(-180, -90, 180, 90);

    /// <summary>A checked box; <see cref="ArgumentException"/> with <see cref="Problem"/>'s message otherwise.</summary>
    public static BoundingBox Create(double minLon, double minLat, double maxLon, double maxLat) =>
        Problem(minLon, minLat, maxLon, maxLat) is { } problem
            ? throw new ArgumentException(problem)
            : new BoundingBox(minLon, minLat, maxLon, maxLat);

    /// <summary>Null when the four values make a box; otherwise why not, in words a caller can show.</summary>
    public static string? Problem(double minLon, double minLat, double maxLon, double maxLat)
    {
        foreach (var (name, value, limit) in new[] { ("minLon", minLon, 180.0), ("maxLon", maxLon, 180.0), ("minLat", minLat, 90.0), ("maxLat", maxLat, 90.0) })
        {
            if (!double.IsFinite(value) || Math.Abs(value) > limit)
            {
                return $"bbox {name} {value} is outside -{limit}..{limit}";
            }
        }

        return minLat > maxLat
            ? $"bbox minLat {minLat} is greater than maxLat {maxLat}"
            : null;
    }

    /// <summary>
    /// The smallest box holding every point within <paramref name="radiusKm"/> of (latitude, longitude): the
    /// whole band of longitudes when the circle reaches a pole; crossing the antimeridian when it does.
    /// </summary>
    public static BoundingBox AroundCircle(double latitude, double longitude, double radiusKm)
    {
        GeoMath.CheckPoint(latitude, longitude);
        if (!double.IsFinite(radiusKm) || radiusKm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(radiusKm), $"radius {radiusKm} km must be positive");
        }

        var angular = radiusKm / GeoMath.EarthRadiusKm;
        var dLat = GeoMath.ToDegrees(angular);
        var minLat = latitude - dLat;
        var maxLat = latitude + dLat;
        if (minLat <= -90 || maxLat >= 90 || angular >= Math.PI / 2)
        {
            return new BoundingBox(-180, Math.Max(-90, minLat), 180, Math.Min(90, maxLat));
        }

        // The widest longitude a circle reaches (at the latitude where its edge is tangent to a meridian).
        var sinRatio = Math.Sin(angular) / Math.Cos(GeoMath.ToRadians(latitude));
        if (sinRatio >= 1)
        {
            return new BoundingBox(-180, minLat, 180, maxLat);
        }

        var dLon = GeoMath.ToDegrees(Math.Asin(sinRatio));
        var minLon = Wrap(longitude - dLon);
        var maxLon = Wrap(longitude + dLon);
        return new BoundingBox(minLon, minLat, maxLon, maxLat);
    }

    public bool Contains(double latitude, double longitude) =>
        latitude >= MinLat && latitude <= MaxLat
        && (CrossesAntimeridian ? longitude >= MinLon || longitude <= MaxLon : longitude >= MinLon && longitude <= MaxLon);

    /// <summary>The box as one or two boxes that do not cross the antimeridian.</summary>
    public IEnumerable<BoundingBox> Split()
    {
        if (CrossesAntimeridian)
        {
            yield return new BoundingBox(MinLon, MinLat, 180, MaxLat);
            yield return new BoundingBox(-180, MinLat, MaxLon, MaxLat);
        }
        else
        {
            yield return this;
        }
    }

    /// <summary>Whether this box and a cell (a non-crossing box) share any point.</summary>
    public bool Intersects(GeohashCell cell) =>
        Split().Any(b => b.MinLat <= cell.MaxLat && b.MaxLat >= cell.MinLat && b.MinLon <= cell.MaxLon && b.MaxLon >= cell.MinLon);

    private static double Wrap(double longitude) =>
        longitude < -180 ? longitude + 360 : longitude > 180 ? longitude - 360 : longitude;
}
