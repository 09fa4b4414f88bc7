using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class SensorCommunityValueTypesTests
{
    [Fact]
    public void P1_is_pm10_and_P2_is_pm25_not_the_other_way_round()
    {
        // An earlier system swapped these: P1 is the coarse fraction (PM10), P2 the fine one (PM2.5).
        Assert.True(SensorCommunityValueTypes.TryMap("P1", out var p1));
        Assert.True(SensorCommunityValueTypes.TryMap("P2", out var p2));
        Assert.True(SensorCommunityValueTypes.TryMap("P0", out var p0));

        Assert.Equal(Quantity.Pm10, p1.Quantity);
        Assert.Equal(Quantity.Pm25, p2.Quantity);
        Assert.Equal(Quantity.Pm1, p0.Quantity);
        Assert.Equal(66.04, p1.ToCanonical(66.04));
    }

    [Theory]
    [InlineData("SDS_P1", QuantityKind.Pm10, "SDS")]
    [InlineData("PMS_P2", QuantityKind.Pm25, "PMS")]
    [InlineData("SPS30_P0", QuantityKind.Pm1, "SPS30")]
    [InlineData("HPM_P1", QuantityKind.Pm10, "HPM")]
    [InlineData("NPM_P1", QuantityKind.Pm10, "NPM")]
    [InlineData("BME280_temperature", QuantityKind.Temperature, "BME280")]
    [InlineData("SHT3X_humidity", QuantityKind.Humidity, "SHT3X")]
    [InlineData("DHT22_temperature", QuantityKind.Temperature, "DHT22")]
    [InlineData("BMP280_pressure", QuantityKind.Pressure, "BMP280")]
    [InlineData("temperature", QuantityKind.Temperature, null)]
    [InlineData("humidity", QuantityKind.Humidity, null)]
    public void Sensor_prefixes_are_stripped(string valueType, QuantityKind kind, string? prefix)
    {
        Assert.True(SensorCommunityValueTypes.TryMap(valueType, out var mapped));

        Assert.Equal(kind, mapped.Quantity.Kind);
        Assert.Equal(prefix, mapped.SensorPrefix);
    }

    [Theory]
    [InlineData("pressure")]
    [InlineData("BME280_pressure")]
    public void Pressure_arrives_in_pascal_and_is_stored_in_hectopascal(string valueType)
    {
        Assert.True(SensorCommunityValueTypes.TryMap(valueType, out var mapped));

        Assert.Equal(Quantity.Pressure, mapped.Quantity);
        Assert.Equal(1013.25, mapped.ToCanonical(101325));
        Assert.Null(Validator.CheckValue(mapped.Quantity, mapped.ToCanonical(101325)));
    }

    [Theory]
    [InlineData("pressure_at_sealevel")]
    [InlineData("pressure_sealevel")]
    [InlineData("BME280_pressure_at_sealevel")]
    public void Sea_level_pressure_is_an_unknown_quantity_in_hectopascal(string valueType)
    {
        Assert.True(SensorCommunityValueTypes.TryMap(valueType, out var mapped));

        Assert.Equal(QuantityKind.Other, mapped.Quantity.Kind);
        Assert.Equal("pressure_at_sealevel", mapped.Quantity.Name);
        Assert.Equal(1020.5, mapped.ToCanonical(102050));
    }

    [Theory]
    [InlineData("noise_LAeq")]
    [InlineData("noise_LA_min")]
    [InlineData("samples")]
    [InlineData("signal")]
    [InlineData("min_micro")]
    [InlineData("max_micro")]
    [InlineData("SPS30_P4")]
    [InlineData("GPS_lat")]
    public void Other_value_types_are_kept_by_name(string valueType)
    {
        Assert.True(SensorCommunityValueTypes.TryMap(valueType, out var mapped));

        Assert.Equal(QuantityKind.Other, mapped.Quantity.Kind);
        Assert.Equal(valueType, mapped.Quantity.Name);
        Assert.Equal(1.0, mapped.Divisor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\u0001name")]
    public void Names_no_quantity_can_carry_are_refused(string valueType) =>
        Assert.False(SensorCommunityValueTypes.TryMap(valueType, out _));

    [Fact]
    public void Utf8_form_refuses_invalid_utf8()
    {
        Assert.True(SensorCommunityValueTypes.TryMapUtf8("P2"u8, out var p2));
        Assert.Equal(Quantity.Pm25, p2.Quantity);
        Assert.False(SensorCommunityValueTypes.TryMapUtf8([0x50, 0xFF], out _));
    }

    [Theory]
    [InlineData("SDS", "SDS011")]
    [InlineData("BMP", "BMP180")]
    [InlineData("BME280", "BME280")]
    [InlineData("sps30", "SPS30")]
    public void Sensor_type_of_a_prefix(string prefix, string sensorType) =>
        Assert.Equal(sensorType, SensorCommunityValueTypes.SensorTypeOfPrefix(prefix));
}
