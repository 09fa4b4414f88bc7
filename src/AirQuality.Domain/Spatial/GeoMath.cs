namespace AirQuality.Domain.Spatial;

public static class GeoMath
{
    /// <summary>The mean Earth radius (IUGG), in km.</summary>
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle distance in km between two points (haversine formula, spherical Earth).</summary>
    public static double HaversineKm(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLon = ToRadians(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Sqrt(Math.Min(1, a)));
    }

    public static double ToRadians(double degrees) => degrees * Math.PI / 180;

    public static double ToDegrees(double radians) => radians * 180 / Math.PI;

    /// <summary>Null when (latitude, longitude) is a point on Earth; otherwise why not.</summary>
    public static string? PointProblem(double latitude, double longitude) =>
        !double.IsFinite(latitude) || latitude is < -90 or > 90 ? $"latitude {latitude} is outside -90..90"
        : !double.IsFinite(longitude) || longitude is < -180 or > 180 ? $"longitude {longitude} is outside -180..180"
        : null;

    internal static void CheckPoint(double latitude, double longitude)
    {
        if (PointProblem(latitude, longitude) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), problem);
        }
    }
}
