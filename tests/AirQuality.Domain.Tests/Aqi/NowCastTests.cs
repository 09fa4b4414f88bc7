using AirQuality.Domain.Aqi;

namespace AirQuality.Domain.Tests.Aqi;

public class NowCastTests
{
    private const double Missing = double.NaN;

    [Fact]
    public void Steady_concentrations_give_their_own_value()
    {
        var result = NowCast.Compute(Pollutant.Pm25, Enumerable.Repeat(10.0, 12).ToArray());
        Assert.True(result.IsValid);
        Assert.Equal(10.0, result.Value);
        Assert.Equal(1.0, result.WeightFactor);
        Assert.Equal(12, result.HoursUsed);
    }

    [Fact]
    public void Weight_factor_is_floored_at_one_half()
    {
        // c_min / c_max = 0.2, floored to 0.5: (50*1 + 10*0.5) / 1.5 = 36.67, truncated to 36.6.
        var result = NowCast.Compute(Pollutant.Pm25, [50, 10]);
        Assert.True(result.IsValid);
        Assert.Equal(0.5, result.WeightFactor);
        Assert.Equal(36.6, result.Value);
    }

    [Fact]
    public void Weight_factor_above_one_half_is_min_over_max()
    {
        // w = 20/30; hour 1 missing: (20 w + 30 w^2) / (w + w^2) = 24.0
        var result = NowCast.Compute(Pollutant.Pm25, [Missing, 20, 30]);
        Assert.True(result.IsValid);
        Assert.Equal(2.0 / 3.0, result.WeightFactor, 12);
        Assert.Equal(24.0, result.Value);
    }

    [Fact]
    public void Twelve_varying_hours_match_the_formula_computed_longhand()
    {
        double[] c = [35, 40, 38, 30, 28, 25, Missing, 20, 22, 18, 15, 12];
        var w = Math.Max(12.0 / 40.0, 0.5);
        double num = 0, den = 0;
        for (var i = 0; i < c.Length; i++)
        {
            if (!double.IsNaN(c[i]))
            {
                num += c[i] * Math.Pow(w, i);
                den += Math.Pow(w, i);
            }
        }

        var expected = Math.Floor(num / den * 10) / 10;
        var result = NowCast.Compute(Pollutant.Pm25, c);
        Assert.Equal(expected, result.Value);
        Assert.Equal(11, result.HoursUsed);
    }

    [Theory]
    [InlineData(new[] { Missing, Missing, 10.0, 10, 10 })]
    [InlineData(new[] { 10.0, Missing, Missing, 10, 10, 10 })]
    [InlineData(new[] { Missing, 10.0, Missing, 10, 10 })]
    [InlineData(new double[0])]
    [InlineData(new[] { 10.0 })]
    public void Fewer_than_two_of_the_three_latest_hours_is_insufficient_data(double[] hours)
    {
        var result = NowCast.Compute(Pollutant.Pm25, hours);
        Assert.False(result.IsValid);
        Assert.True(double.IsNaN(result.Value));

        var index = NowCast.UsAqi(Pollutant.Pm25, hours, out _);
        Assert.Equal(AqiStatus.InsufficientData, index.Status);
        Assert.Null(index.IndexOrNull);
    }

    [Fact]
    public void Two_of_three_latest_hours_is_enough()
    {
        Assert.True(NowCast.Compute(Pollutant.Pm25, [10, Missing, 12]).IsValid);
        Assert.True(NowCast.Compute(Pollutant.Pm25, [Missing, 10, 12]).IsValid);
    }

    [Fact]
    public void Pm10_is_truncated_to_whole_micrograms()
    {
        var result = NowCast.Compute(Pollutant.Pm10, [55.9, 55.9, 55.9]);
        Assert.Equal(55, result.Value);
    }

    [Fact]
    public void All_zero_hours_give_zero()
    {
        var result = NowCast.Compute(Pollutant.Pm25, new double[12]);
        Assert.True(result.IsValid);
        Assert.Equal(0, result.Value);
        Assert.Equal(0, NowCast.UsAqi(Pollutant.Pm25, new double[12], out _).Index);
    }

    [Fact]
    public void Hours_past_the_twelfth_are_ignored()
    {
        var twelve = Enumerable.Repeat(10.0, 12).ToArray();
        var more = twelve.Concat([500.0, 500.0]).ToArray();
        Assert.Equal(NowCast.Compute(Pollutant.Pm25, twelve), NowCast.Compute(Pollutant.Pm25, more));
    }

    [Fact]
    public void Negative_hours_count_as_missing()
    {
        Assert.False(NowCast.Compute(Pollutant.Pm25, [-1, -1, 10]).IsValid);
    }

    [Fact]
    public void The_index_applies_the_24h_table_to_the_nowcast()
    {
        // 33.2 µg/m³ -> (100-51)/(35.4-9.1) * (33.2-9.1) + 51 = 95.9 -> 96 Moderate.
        var index = NowCast.UsAqi(Pollutant.Pm25, [33.2, 33.2, 33.2], out var nowCast);
        Assert.Equal(33.2, nowCast.Value);
        Assert.Equal(96, index.Index);
        Assert.Equal("Moderate", index.Category!.Name);
    }

    [Fact]
    public void Only_particulate_matter_has_this_nowcast() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NowCast.Compute(Pollutant.O3, [1, 1, 1]));
}
