using AirQuality.Domain.Aqi;

namespace AirQuality.Domain.Tests.Aqi;

/// <summary>Every band edge of the US EPA 2024 tables (aqi.md), both sides of each edge.</summary>
public class UsEpa2024Tests
{
    private static readonly AqiStandard Us = AqiStandard.UsEpa2024;

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(9.0, 50)]
    [InlineData(9.1, 51)]
    [InlineData(12.0, 56)]
    [InlineData(35.4, 100)]
    [InlineData(35.45, 100)] // truncated to 35.4 before the equation, so not 101
    [InlineData(35.5, 101)]
    [InlineData(55.4, 150)]
    [InlineData(55.5, 151)]
    [InlineData(125.4, 200)]
    [InlineData(125.5, 201)]
    [InlineData(225.4, 300)]
    [InlineData(225.5, 301)]
    [InlineData(325.4, 500)]
    public void Pm25_24h_band_edges(double concentration, int expected) =>
        AssertIndex(Pollutant.Pm25, concentration, Averaging.TwentyFourHours, expected);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(54, 50)]
    [InlineData(54.9, 50)]
    [InlineData(55, 51)]
    [InlineData(154, 100)]
    [InlineData(155, 101)]
    [InlineData(254, 150)]
    [InlineData(255, 151)]
    [InlineData(354, 200)]
    [InlineData(355, 201)]
    [InlineData(424, 300)]
    [InlineData(425, 301)]
    [InlineData(604, 500)]
    public void Pm10_24h_band_edges(double concentration, int expected) =>
        AssertIndex(Pollutant.Pm10, concentration, Averaging.TwentyFourHours, expected);

    [Theory]
    [InlineData(0.000, 0)]
    [InlineData(0.054, 50)]
    [InlineData(0.0549, 50)]
    [InlineData(0.055, 51)]
    [InlineData(0.070, 100)]
    [InlineData(0.071, 101)]
    [InlineData(0.085, 150)]
    [InlineData(0.086, 151)]
    [InlineData(0.105, 200)]
    [InlineData(0.106, 201)]
    [InlineData(0.200, 300)]
    public void Ozone_8h_band_edges(double ppm, int expected) =>
        AssertIndex(Pollutant.O3, ppm, Averaging.EightHours, expected);

    [Theory]
    [InlineData(0.125, 101)]
    [InlineData(0.164, 150)]
    [InlineData(0.165, 151)]
    [InlineData(0.204, 200)]
    [InlineData(0.205, 201)]
    [InlineData(0.404, 300)]
    [InlineData(0.405, 301)]
    [InlineData(0.604, 500)]
    public void Ozone_1h_band_edges(double ppm, int expected) =>
        AssertIndex(Pollutant.O3, ppm, Averaging.OneHour, expected);

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(4.4, 50)]
    [InlineData(4.5, 51)]
    [InlineData(9.4, 100)]
    [InlineData(9.5, 101)]
    [InlineData(12.4, 150)]
    [InlineData(12.5, 151)]
    [InlineData(15.4, 200)]
    [InlineData(15.5, 201)]
    [InlineData(30.4, 300)]
    [InlineData(30.5, 301)]
    [InlineData(50.4, 500)]
    public void Co_8h_band_edges(double ppm, int expected) =>
        AssertIndex(Pollutant.Co, ppm, Averaging.EightHours, expected);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(35, 50)]
    [InlineData(36, 51)]
    [InlineData(75, 100)]
    [InlineData(76, 101)]
    [InlineData(185, 150)]
    [InlineData(186, 151)]
    [InlineData(304, 200)]
    [InlineData(304.9, 200)]
    public void So2_1h_band_edges(double ppb, int expected) =>
        AssertIndex(Pollutant.So2, ppb, Averaging.OneHour, expected);

    [Theory]
    [InlineData(305, 201)]
    [InlineData(604, 300)]
    [InlineData(605, 301)]
    [InlineData(1004, 500)]
    public void So2_24h_band_edges(double ppb, int expected) =>
        AssertIndex(Pollutant.So2, ppb, Averaging.TwentyFourHours, expected);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(53, 50)]
    [InlineData(54, 51)]
    [InlineData(100, 100)]
    [InlineData(101, 101)]
    [InlineData(360, 150)]
    [InlineData(361, 151)]
    [InlineData(649, 200)]
    [InlineData(650, 201)]
    [InlineData(1249, 300)]
    [InlineData(1250, 301)]
    [InlineData(2049, 500)]
    public void No2_1h_band_edges(double ppb, int expected) =>
        AssertIndex(Pollutant.No2, ppb, Averaging.OneHour, expected);

    [Theory]
    [InlineData(Pollutant.Pm25, 325.5, Averaging.TwentyFourHours)]
    [InlineData(Pollutant.Pm25, 10_000, Averaging.TwentyFourHours)]
    [InlineData(Pollutant.Pm10, 605, Averaging.TwentyFourHours)]
    [InlineData(Pollutant.O3, 0.605, Averaging.OneHour)]
    [InlineData(Pollutant.Co, 50.5, Averaging.EightHours)]
    [InlineData(Pollutant.So2, 1005, Averaging.TwentyFourHours)]
    [InlineData(Pollutant.No2, 2050, Averaging.OneHour)]
    public void Above_the_table_is_beyond_the_index_never_wrapped(Pollutant pollutant, double concentration, Averaging averaging)
    {
        var result = Us.Calculate(pollutant, concentration, averaging);
        Assert.Equal(AqiStatus.BeyondIndex, result.Status);
        Assert.True(result.HasIndex);
        Assert.Equal(500, result.Index);
        Assert.Equal("Hazardous", result.Category!.Name);
        Assert.Contains("beyond", result.Note, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(Pollutant.O3, 0.201, Averaging.EightHours, "1-hour")]
    [InlineData(Pollutant.O3, 0.124, Averaging.OneHour, "8-hour")]
    [InlineData(Pollutant.So2, 305, Averaging.OneHour, "24-hour")]
    [InlineData(Pollutant.So2, 304, Averaging.TwentyFourHours, "1-hour")]
    public void Open_ends_of_the_ozone_and_so2_tables_say_which_average_to_use(Pollutant pollutant, double concentration, Averaging averaging, string advice)
    {
        var result = Us.Calculate(pollutant, concentration, averaging);
        Assert.Equal(AqiStatus.NotDefined, result.Status);
        Assert.False(result.HasIndex);
        Assert.Null(result.IndexOrNull);
        Assert.Contains(advice, result.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.060, null, 67)]   // 8h alone
    [InlineData(0.060, 0.130, 107)] // 1h higher: the more precautionary value is reported
    [InlineData(0.090, 0.126, 161)] // 8h higher
    [InlineData(0.250, 0.450, 346)] // 8h scale stops at 0.200: the 1-hour value decides
    [InlineData(null, 0.100, null)] // 1h below 0.125 and no 8h value: nothing defines an index
    public void Ozone_reports_the_higher_of_the_8h_and_1h_indices(double? eightHour, double? oneHour, int? expected)
    {
        var result = ((UsEpa2024Standard)Us).OzoneIndex(eightHour, oneHour);
        Assert.Equal(expected, result.IndexOrNull);
    }

    [Theory]
    [InlineData(100.0, null, 112)]
    [InlineData(400.0, null, 200)] // 1h at 305+ with no 24h mean: capped at 200
    [InlineData(400.0, 200.0, 200)] // 24h below 305 does not define 200+
    [InlineData(400.0, 500.0, 266)] // 24h mean at 305+ decides
    [InlineData(null, 700.0, 348)]
    public void So2_uses_the_24h_mean_for_200_and_above(double? oneHour, double? day, int expected)
    {
        var result = ((UsEpa2024Standard)Us).So2Index(oneHour, day);
        Assert.Equal(expected, result.IndexOrNull);
    }

    [Theory]
    [InlineData(0, "Good", "#00e400")]
    [InlineData(50, "Good", "#00e400")]
    [InlineData(51, "Moderate", "#ffff00")]
    [InlineData(100, "Moderate", "#ffff00")]
    [InlineData(101, "Unhealthy for Sensitive Groups", "#ff7e00")]
    [InlineData(150, "Unhealthy for Sensitive Groups", "#ff7e00")]
    [InlineData(151, "Unhealthy", "#ff0000")]
    [InlineData(200, "Unhealthy", "#ff0000")]
    [InlineData(201, "Very Unhealthy", "#8f3f97")]
    [InlineData(300, "Very Unhealthy", "#8f3f97")]
    [InlineData(301, "Hazardous", "#7e0023")]
    [InlineData(500, "Hazardous", "#7e0023")]
    public void Categories_and_colours_are_the_agencys(int index, string name, string color)
    {
        var category = Us.CategoryOf(index);
        Assert.NotNull(category);
        Assert.Equal(name, category.Name);
        Assert.Equal(color, category.Color);
    }

    [Theory]
    [InlineData(Pollutant.Pm25, Averaging.OneHour)]
    [InlineData(Pollutant.Pm10, Averaging.EightHours)]
    [InlineData(Pollutant.Co, Averaging.OneHour)]
    [InlineData(Pollutant.No2, Averaging.TwentyFourHours)]
    public void Averaging_periods_the_standard_does_not_define_are_named_in_the_note(Pollutant pollutant, Averaging averaging)
    {
        var result = Us.Calculate(pollutant, 10, averaging);
        Assert.Equal(AqiStatus.NotDefined, result.Status);
        Assert.Contains(averaging.ToName(), result.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.1)]
    public void Invalid_concentrations_are_a_status_not_an_exception(double concentration)
    {
        var result = Us.Calculate(Pollutant.Pm25, concentration);
        Assert.Equal(AqiStatus.InvalidConcentration, result.Status);
        Assert.False(result.HasIndex);
    }

    [Fact]
    public void Defaults_are_24h_for_pm_8h_for_ozone_and_co_1h_for_no2_and_so2()
    {
        Assert.Equal(Averaging.TwentyFourHours, Us.DefaultAveraging(Pollutant.Pm25));
        Assert.Equal(Averaging.TwentyFourHours, Us.DefaultAveraging(Pollutant.Pm10));
        Assert.Equal(Averaging.EightHours, Us.DefaultAveraging(Pollutant.O3));
        Assert.Equal(Averaging.EightHours, Us.DefaultAveraging(Pollutant.Co));
        Assert.Equal(Averaging.OneHour, Us.DefaultAveraging(Pollutant.No2));
        Assert.Equal(Averaging.OneHour, Us.DefaultAveraging(Pollutant.So2));
    }

    private static void AssertIndex(Pollutant pollutant, double concentration, Averaging averaging, int expected)
    {
        var result = Us.Calculate(pollutant, concentration, averaging);
        Assert.Equal(AqiStatus.Ok, result.Status);
        Assert.Equal(expected, result.Index);
        Assert.Equal(Us.CategoryOf(expected), result.Category);
    }
}
