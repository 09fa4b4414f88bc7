using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Domain.Tests.Quantities;

public class QuantityTests
{
    [Theory]
    [InlineData("pm25", QuantityKind.Pm25)]
    [InlineData("PM2.5", QuantityKind.Pm25)]
    [InlineData("pm2_5", QuantityKind.Pm25)]
    [InlineData("pm10", QuantityKind.Pm10)]
    [InlineData("PM10", QuantityKind.Pm10)]
    [InlineData("pm1", QuantityKind.Pm1)]
    [InlineData("PM1.0", QuantityKind.Pm1)] // not PM10
    [InlineData("o3", QuantityKind.O3)]
    [InlineData("NO2", QuantityKind.No2)]
    [InlineData("so2", QuantityKind.So2)]
    [InlineData("co", QuantityKind.Co)]
    [InlineData("temperature", QuantityKind.Temperature)]
    [InlineData("humidity", QuantityKind.Humidity)]
    [InlineData("pressure", QuantityKind.Pressure)]
    public void Known_names_and_their_common_spellings(string name, QuantityKind kind)
    {
        Assert.True(Quantity.TryParse(name, out var q));
        Assert.Equal(kind, q.Kind);
        Assert.True(Quantity.TryParseUtf8(System.Text.Encoding.UTF8.GetBytes(name), out var fromUtf8));
        Assert.Equal(q, fromUtf8);
    }

    [Fact]
    public void Unknown_quantities_are_kept_by_name()
    {
        Assert.True(Quantity.TryParse("noise_LAeq", out var q));
        Assert.Equal(QuantityKind.Other, q.Kind);
        Assert.Equal("noise_LAeq", q.Name);
        Assert.Equal(Unit.Unknown, q.CanonicalUnit);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0001b")]
    [InlineData("quote\"d")]
    public void Garbage_names_are_refused(string name) => Assert.False(Quantity.TryParse(name, out _));

    [Fact]
    public void Overlong_names_are_refused() => Assert.False(Quantity.TryParse(new string('x', Quantity.MaxNameLength + 1), out _));

    [Fact]
    public void Canonical_units_are_micrograms_for_pm_ppb_for_gases_ppm_for_co()
    {
        Assert.Equal(Unit.MicrogramsPerCubicMetre, Quantity.Pm25.CanonicalUnit);
        Assert.Equal(Unit.PartsPerBillion, Quantity.O3.CanonicalUnit);
        Assert.Equal(Unit.PartsPerMillion, Quantity.Co.CanonicalUnit);
        Assert.Equal(Unit.Hectopascal, Quantity.Pressure.CanonicalUnit);
    }

    [Theory]
    [InlineData("esp8266-15132406:1", true)]
    [InlineData("sc-36", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("emoji-\U0001F600", false)]
    public void Sensor_ids_are_bounded_to_a_safe_alphabet(string id, bool valid) =>
        Assert.Equal(valid, SensorId.IsValid(id));

    [Fact]
    public void Sensor_ids_are_bounded_in_length()
    {
        Assert.True(SensorId.IsValid(new string('a', SensorId.MaxLength)));
        Assert.Contains("longer", SensorId.Problem(new string('a', SensorId.MaxLength + 1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Locations_outside_the_globe_are_named_as_such()
    {
        Assert.Null(new SensorLocation(51.04, 13.74, 120, "DE", false).Problem);
        Assert.Contains("latitude", new SensorLocation(91, 0).Problem, StringComparison.Ordinal);
        Assert.Contains("longitude", new SensorLocation(0, -181).Problem, StringComparison.Ordinal);
        Assert.Contains("country", new SensorLocation(0, 0, Country: "Germany").Problem, StringComparison.Ordinal);
    }
}
