using AirQuality.Domain.Aqi;

namespace AirQuality.Domain.Tests.Aqi;

/// <summary>The European AQI, 2024 revision: upper-inclusive band limits on hourly values.</summary>
public class EuEaqi2024Tests
{
    private static readonly AqiStandard Eu = AqiStandard.EuEaqi2024;

    public static TheoryData<Pollutant, double, int> UpperLimits()
    {
        var data = new TheoryData<Pollutant, double, int>();
        Add(Pollutant.Pm25, [5, 15, 50, 90, 140]);
        Add(Pollutant.Pm10, [15, 45, 120, 195, 270]);
        Add(Pollutant.No2, [10, 25, 60, 100, 150]);
        Add(Pollutant.O3, [60, 100, 120, 160, 180]);
        Add(Pollutant.So2, [20, 40, 125, 190, 275]);
        return data;

        void Add(Pollutant pollutant, double[] limits)
        {
            for (var i = 0; i < limits.Length; i++)
            {
                data.Add(pollutant, limits[i], i + 1);
            }
        }
    }

    [Theory]
    [MemberData(nameof(UpperLimits))]
    public void A_value_equal_to_a_limit_is_in_the_lower_band(Pollutant pollutant, double limit, int band)
    {
        Assert.Equal(band, BandOf(pollutant, limit));
        Assert.Equal(band + 1, BandOf(pollutant, limit + 0.001));
    }

    [Theory]
    [InlineData(Pollutant.Pm25, 0, 1)]
    [InlineData(Pollutant.Pm25, 1000, 6)]
    [InlineData(Pollutant.O3, 181, 6)]
    public void Bottom_and_open_top(Pollutant pollutant, double value, int band) =>
        Assert.Equal(band, BandOf(pollutant, value));

    [Theory]
    [InlineData(1, "Good", "#50f0e6")]
    [InlineData(2, "Fair", "#50ccaa")]
    [InlineData(3, "Moderate", "#f0e641")]
    [InlineData(4, "Poor", "#ff5050")]
    [InlineData(5, "Very poor", "#960032")]
    [InlineData(6, "Extremely poor", "#7d2181")]
    public void Bands_are_named_as_the_eea_names_them(int index, string name, string color)
    {
        var category = Eu.CategoryOf(index)!;
        Assert.Equal(name, category.Name);
        Assert.Equal(color, category.Color);
    }

    [Fact]
    public void Every_pollutant_is_hourly_and_co_is_not_indexed()
    {
        foreach (var pollutant in Eu.Pollutants)
        {
            Assert.Equal(Averaging.OneHour, Eu.DefaultAveraging(pollutant));
        }

        Assert.DoesNotContain(Pollutant.Co, Eu.Pollutants);
        Assert.Equal(AqiStatus.NotDefined, Eu.Calculate(Pollutant.Pm25, 10, Averaging.TwentyFourHours).Status);
    }

    private static int BandOf(Pollutant pollutant, double value)
    {
        var result = Eu.Calculate(pollutant, value);
        Assert.Equal(AqiStatus.Ok, result.Status);
        return result.Index;
    }
}
