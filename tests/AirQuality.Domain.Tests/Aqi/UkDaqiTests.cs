using AirQuality.Domain.Aqi;

namespace AirQuality.Domain.Tests.Aqi;

/// <summary>The UK DAQI (Defra): every band edge, with rounding to an integer before banding.</summary>
public class UkDaqiTests
{
    private static readonly AqiStandard Uk = AqiStandard.UkDaqi;

    // Upper limit of indices 1-9 per pollutant, as Defra publishes them (aqi.md).
    public static TheoryData<Pollutant, int, int> UpperLimits()
    {
        var data = new TheoryData<Pollutant, int, int>();
        Add(Pollutant.Pm25, [11, 23, 35, 41, 47, 53, 58, 64, 70]);
        Add(Pollutant.Pm10, [16, 33, 50, 58, 66, 75, 83, 91, 100]);
        Add(Pollutant.O3, [33, 66, 100, 120, 140, 160, 187, 213, 240]);
        Add(Pollutant.No2, [67, 134, 200, 267, 334, 400, 467, 534, 600]);
        Add(Pollutant.So2, [88, 177, 266, 354, 443, 532, 710, 887, 1064]);
        return data;

        void Add(Pollutant pollutant, int[] limits)
        {
            for (var i = 0; i < limits.Length; i++)
            {
                data.Add(pollutant, limits[i], i + 1);
            }
        }
    }

    [Theory]
    [MemberData(nameof(UpperLimits))]
    public void Each_band_edge_rounds_then_bands(Pollutant pollutant, int upperLimit, int index)
    {
        Assert.Equal(index, IndexOf(pollutant, upperLimit));
        Assert.Equal(index, IndexOf(pollutant, upperLimit + 0.49));
        Assert.Equal(index + 1, IndexOf(pollutant, upperLimit + 0.5));
        Assert.Equal(index + 1, IndexOf(pollutant, upperLimit + 1));
    }

    [Theory]
    [InlineData(11.4, 1)]
    [InlineData(11.5, 2)] // a seed system fell through its closed integer bands to "10 Very High" here
    [InlineData(35.5, 4)]
    [InlineData(70.5, 10)]
    [InlineData(0, 1)]
    [InlineData(5000, 10)]
    public void Pm25_examples_from_the_reference(double concentration, int index) =>
        Assert.Equal(index, IndexOf(Pollutant.Pm25, concentration));

    [Fact]
    public void Pm10_is_banded_on_its_own_table_not_the_pm25_one()
    {
        Assert.Equal(3, IndexOf(Pollutant.Pm10, 40));
        Assert.Equal(4, IndexOf(Pollutant.Pm25, 40));
    }

    [Theory]
    [InlineData(1, "Low", "#9cff9c")]
    [InlineData(3, "Low", "#31cf00")]
    [InlineData(4, "Moderate", "#ffff00")]
    [InlineData(6, "Moderate", "#ff9a00")]
    [InlineData(7, "High", "#ff6464")]
    [InlineData(9, "High", "#990000")]
    [InlineData(10, "Very High", "#ce30ff")]
    public void Bands_are_named_as_defra_names_them(int index, string band, string color)
    {
        var category = Uk.CategoryOf(index)!;
        Assert.Equal(band, category.Name);
        Assert.Equal(color, category.Color);
    }

    [Fact]
    public void Averaging_defaults_and_co_is_not_indexed()
    {
        Assert.Equal(Averaging.TwentyFourHours, Uk.DefaultAveraging(Pollutant.Pm25));
        Assert.Equal(Averaging.EightHours, Uk.DefaultAveraging(Pollutant.O3));
        Assert.Equal(Averaging.OneHour, Uk.DefaultAveraging(Pollutant.No2));
        Assert.Equal(Averaging.FifteenMinutes, Uk.DefaultAveraging(Pollutant.So2));
        Assert.Equal(AqiStatus.NotDefined, Uk.Calculate(Pollutant.Co, 1).Status);
        Assert.Equal(AqiStatus.NotDefined, Uk.Calculate(Pollutant.Pm25, 10, Averaging.OneHour).Status);
    }

    private static int IndexOf(Pollutant pollutant, double concentration)
    {
        var result = Uk.Calculate(pollutant, concentration);
        Assert.Equal(AqiStatus.Ok, result.Status);
        return result.Index;
    }
}
