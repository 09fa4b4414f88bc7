namespace AirQuality.Cli.Simulation;

/// <summary>
/// A real city the simulator places sensors around, with the rough climate its readings follow: the annual
/// mean PM2.5 (µg/m³), the annual mean temperature (°C), half the summer-winter swing, the typical daily
/// range, and the mean relative humidity (%). <see cref="UtcOffsetHours"/> is standard time, which is when
/// traffic peaks.
/// </summary>
internal sealed record SimulatedCity(
    string Slug,
    string Country,
    double Latitude,
    double Longitude,
    double Altitude,
    double UtcOffsetHours,
    double Pm25,
    double Temperature,
    double SeasonalSwing,
    double DailyRange,
    double Humidity)
{
    /// <summary>Approximate figures from public climate normals and WHO/EEA annual PM2.5 means.</summary>
    public static IReadOnlyList<SimulatedCity> All { get; } =
    [
        new("berlin", "DE", 52.5200, 13.4050, 34, 1, 12, 10.0, 9.5, 8, 75),
        new("munich", "DE", 48.1372, 11.5756, 519, 1, 11, 9.0, 9.5, 9, 75),
        new("stuttgart", "DE", 48.7758, 9.1829, 245, 1, 13, 10.0, 9.5, 9, 74),
        new("paris", "FR", 48.8566, 2.3522, 35, 1, 13, 12.0, 8.0, 8, 75),
        new("amsterdam", "NL", 52.3676, 4.9041, 0, 1, 10, 10.0, 7.0, 7, 82),
        new("vienna", "AT", 48.2082, 16.3738, 190, 1, 13, 11.0, 10.0, 8, 72),
        new("prague", "CZ", 50.0755, 14.4378, 235, 1, 15, 9.0, 9.5, 8, 75),
        new("warsaw", "PL", 52.2297, 21.0122, 100, 1, 18, 8.5, 10.5, 8, 78),
        new("krakow", "PL", 50.0647, 19.9450, 219, 1, 22, 8.7, 10.0, 9, 78),
        new("milan", "IT", 45.4642, 9.1900, 120, 1, 20, 13.5, 10.5, 9, 72),
        new("madrid", "ES", 40.4168, -3.7038, 657, 1, 10, 15.0, 10.0, 12, 57),
        new("lisbon", "PT", 38.7223, -9.1393, 50, 0, 9, 17.5, 6.0, 8, 70),
        new("stockholm", "SE", 59.3293, 18.0686, 28, 1, 5, 7.5, 10.0, 6, 78),
        new("athens", "GR", 37.9838, 23.7275, 70, 2, 15, 18.5, 9.0, 9, 62),
        new("sofia", "BG", 42.6977, 23.3219, 550, 2, 20, 10.5, 10.5, 11, 72),
        new("bucharest", "RO", 44.4268, 26.1025, 70, 2, 18, 11.5, 12.0, 11, 72),
        new("london", "GB", 51.5072, -0.1276, 11, 0, 10, 11.5, 7.0, 8, 76),
        new("manchester", "GB", 53.4808, -2.2426, 38, 0, 9, 10.0, 6.0, 7, 80),
        new("glasgow", "GB", 55.8642, -4.2518, 40, 0, 7, 9.0, 5.5, 6, 82),
        new("new-york", "US", 40.7128, -74.0060, 10, -5, 8, 13.0, 11.5, 8, 63),
        new("chicago", "US", 41.8781, -87.6298, 181, -6, 9, 10.5, 14.0, 9, 68),
        new("denver", "US", 39.7392, -104.9903, 1609, -7, 7, 10.5, 11.0, 14, 52),
        new("los-angeles", "US", 34.0522, -118.2437, 89, -8, 12, 18.5, 4.5, 9, 65),
        new("delhi", "IN", 28.6139, 77.2090, 216, 5.5, 95, 25.0, 8.0, 11, 60),
        new("mumbai", "IN", 19.0760, 72.8777, 14, 5.5, 40, 27.5, 2.5, 7, 75),
        new("bengaluru", "IN", 12.9716, 77.5946, 920, 5.5, 30, 24.0, 2.5, 10, 65),
        new("beijing", "CN", 39.9042, 116.4074, 44, 8, 40, 12.5, 15.0, 10, 55),
        new("tokyo", "JP", 35.6762, 139.6503, 40, 9, 10, 16.0, 10.0, 7, 68),
        new("sydney", "AU", -33.8688, 151.2093, 58, 10, 7, 18.0, 5.0, 7, 68),
        new("sao-paulo", "BR", -23.5505, -46.6333, 760, -3, 15, 19.5, 3.0, 9, 78),
        new("mexico-city", "MX", 19.4326, -99.1332, 2240, -6, 22, 16.5, 3.0, 13, 55),
        new("johannesburg", "ZA", -26.2041, 28.0473, 1753, 2, 25, 16.0, 5.0, 13, 55),
    ];

    /// <summary>The local (standard) time at <paramref name="instant"/>.</summary>
    public DateTimeOffset LocalTime(DateTimeOffset instant) => instant.ToOffset(TimeSpan.FromHours(UtcOffsetHours));

    /// <summary>Hour of the local day, 0 to 24 with fractions.</summary>
    public double LocalHour(DateTimeOffset instant) => LocalTime(instant).TimeOfDay.TotalHours;
}
