using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Tests.Aqi;

public class OverallAndUnitsTests
{
    [Fact]
    public void Overall_is_the_worst_sub_index_with_its_pollutant()
    {
        var us = AqiStandard.UsEpa2024;
        SubIndex[] parts =
        [
            us.Calculate(Pollutant.Pm25, 12.0),  // 56
            us.Calculate(Pollutant.No2, 120),    // 104
            us.Calculate(Pollutant.Pm10, 60),    // 53
        ];

        var overall = us.Combine(parts);

        Assert.Equal(AqiStatus.Ok, overall.Status);
        Assert.Equal(Pollutant.No2, overall.DominantPollutant);
        Assert.Equal(parts[1].Index, overall.Index);
        Assert.Equal("Unhealthy for Sensitive Groups", overall.Category!.Name);
    }

    [Fact]
    public void Overall_without_any_index_is_insufficient_data_not_an_exception()
    {
        var uk = AqiStandard.UkDaqi;
        var overall = uk.Combine([uk.InsufficientData(Pollutant.Pm25, Averaging.TwentyFourHours), uk.Calculate(Pollutant.Co, 1)]);
        Assert.Equal(AqiStatus.InsufficientData, overall.Status);
        Assert.Null(overall.IndexOrNull);
        Assert.Null(overall.DominantPollutant);

        Assert.Equal(AqiStatus.InsufficientData, uk.Combine([]).Status);
    }

    [Fact]
    public void A_beyond_index_sub_index_dominates_and_keeps_its_flag()
    {
        var us = AqiStandard.UsEpa2024;
        var overall = us.Combine([us.Calculate(Pollutant.Pm25, 400), us.Calculate(Pollutant.No2, 10)]);
        Assert.Equal(AqiStatus.BeyondIndex, overall.Status);
        Assert.Equal(500, overall.Index);
    }

    [Theory]
    [InlineData(QuantityKind.No2, 100, Unit.PartsPerBillion, Unit.MicrogramsPerCubicMetre, ReferenceConditions.TwentyCelsius, 191)]
    [InlineData(QuantityKind.No2, 100, Unit.PartsPerBillion, Unit.MicrogramsPerCubicMetre, ReferenceConditions.TwentyFiveCelsius, 188)]
    [InlineData(QuantityKind.O3, 196, Unit.MicrogramsPerCubicMetre, Unit.PartsPerBillion, ReferenceConditions.TwentyFiveCelsius, 100)]
    [InlineData(QuantityKind.O3, 0.07, Unit.PartsPerMillion, Unit.PartsPerBillion, ReferenceConditions.TwentyFiveCelsius, 70)]
    [InlineData(QuantityKind.So2, 10, Unit.PartsPerBillion, Unit.MicrogramsPerCubicMetre, ReferenceConditions.TwentyCelsius, 26.6)]
    [InlineData(QuantityKind.Co, 1, Unit.PartsPerMillion, Unit.MilligramsPerCubicMetre, ReferenceConditions.TwentyCelsius, 1.165)]
    [InlineData(QuantityKind.Co, 1.145, Unit.MilligramsPerCubicMetre, Unit.PartsPerMillion, ReferenceConditions.TwentyFiveCelsius, 1)]
    [InlineData(QuantityKind.Pm25, 0.012, Unit.MilligramsPerCubicMetre, Unit.MicrogramsPerCubicMetre, ReferenceConditions.TwentyCelsius, 12)]
    public void Gas_conversions_use_the_published_factors(QuantityKind kind, double value, Unit from, Unit to, ReferenceConditions conditions, double expected)
    {
        Assert.True(UnitConverter.TryConvert(kind, value, from, to, conditions, out var converted));
        Assert.Equal(expected, converted, 9);
    }

    [Theory]
    [InlineData(QuantityKind.Pm25, Unit.PartsPerBillion)]
    [InlineData(QuantityKind.Temperature, Unit.PartsPerBillion)]
    [InlineData(QuantityKind.No2, Unit.DegreesCelsius)]
    public void Conversions_that_make_no_sense_are_refused(QuantityKind kind, Unit from)
    {
        Assert.False(UnitConverter.TryConvert(kind, 1, from, Unit.MicrogramsPerCubicMetre, ReferenceConditions.TwentyCelsius, out _));
    }

    [Fact]
    public void Each_standard_converts_to_its_native_unit_at_its_own_reference_temperature()
    {
        Assert.True(AqiStandard.UsEpa2024.TryToNativeUnit(Pollutant.O3, 70, Unit.PartsPerBillion, out var ppm));
        Assert.Equal(0.070, ppm, 12);
        Assert.True(AqiStandard.EuEaqi2024.TryToNativeUnit(Pollutant.O3, 50, Unit.PartsPerBillion, out var eu));
        Assert.Equal(100, eu, 9);
        Assert.True(AqiStandard.UkDaqi.TryToNativeUnit(Pollutant.No2, 100, Unit.PartsPerBillion, out var uk));
        Assert.Equal(191, uk, 9);
    }

    [Theory]
    [InlineData("us-epa-2024", AqiStandardId.UsEpa2024)]
    [InlineData("UK-DAQI", AqiStandardId.UkDaqi)]
    [InlineData("eu-eaqi-2024", AqiStandardId.EuEaqi2024)]
    public void Standards_are_found_by_name(string name, AqiStandardId id)
    {
        Assert.True(AqiStandard.TryParse(name, out var standard));
        Assert.Equal(id, standard.Id);
        Assert.Same(standard, AqiStandard.Get(id));
    }

    [Fact]
    public void Unknown_standard_names_are_refused() => Assert.False(AqiStandard.TryParse("us-epa-2012", out _));
}
