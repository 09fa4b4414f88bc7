using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class SensorCommunityPushDecoderTests
{
    private const string Sample =
        """{"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","value":"66.04"},{"value_type":"P2","value":"53.32"}]}""";

    private readonly SensorCommunityPushDecoder _decoder = new(Validator, Clock);

    private DecodeResult Decode(string body, string? xSensor = "esp8266-15132406", string? xPin = "1") =>
        _decoder.Decode(xSensor, xPin, Utf8(body)).WellFormed();

    private static string Push(string values, string extra = "") =>
        $$"""{"software_version":"NRZ-2020-129",{{extra}}"sensordatavalues":[{{values}}]}""";

    [Fact]
    public void Firmware_push_gives_one_reading_stamped_with_the_receivers_clock()
    {
        var result = Decode(Sample);

        var reading = Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Equal(1, result.RecordCount);
        Assert.Equal("esp8266-15132406:1", reading.SensorId);
        Assert.Equal(Now, reading.Timestamp);
        Assert.Equal(66.04, Value(reading, Quantity.Pm10));
        Assert.Equal(53.32, Value(reading, Quantity.Pm25));
        Assert.Null(reading.SensorType);
        Assert.Null(reading.Location);
    }

    [Fact]
    public void P1_is_pm10_and_P2_is_pm25()
    {
        var reading = Assert.Single(Decode(Push("""{"value_type":"P1","value":"80"},{"value_type":"P2","value":"20"},{"value_type":"P0","value":"10"}""")).Readings);

        Assert.Equal(80, Value(reading, Quantity.Pm10));
        Assert.Equal(20, Value(reading, Quantity.Pm25));
        Assert.Equal(10, Value(reading, Quantity.Pm1));
    }

    [Fact]
    public void Numbers_are_accepted_as_well_as_strings_and_value_may_come_first()
    {
        var reading = Assert.Single(Decode(Push("""{"value":66.04,"value_type":"P1"},{"value_type":"P2","value":5.3e1}""")).Readings);

        Assert.Equal(66.04, Value(reading, Quantity.Pm10));
        Assert.Equal(53, Value(reading, Quantity.Pm25));
    }

    [Theory]
    [InlineData("\"timestamp\":\"2026-11-23 09:58:00\",")]
    [InlineData("\"timestamp\":\"2026-11-23T09:58:00Z\",")]
    [InlineData("\"timestamp\":\"2026-11-23T10:58:00+01:00\",")]
    public void Timestamp_in_the_body_is_used_in_either_style(string timestamp)
    {
        var reading = Assert.Single(Decode(Push("""{"value_type":"P1","value":"1"}""", timestamp)).Readings);

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 58, 0, TimeSpan.Zero), reading.Timestamp);
    }

    [Theory]
    [InlineData("\"timestamp\":\"yesterday\",", "not an ISO 8601")]
    [InlineData("\"timestamp\":\"1970-01-01 00:00:07\",", "before 2000")]
    [InlineData("\"timestamp\":1763892000,", "'timestamp' must be a string, got number")]
    public void Bad_timestamp_rejects_the_push(string timestamp, string mentions)
    {
        var result = Decode(Push("""{"value_type":"P1","value":"1"}""", timestamp));

        Assert.Empty(result.Readings);
        Assert.Equal("esp8266-15132406:1", result.SingleRecordRejection(mentions).SensorId);
    }

    [Theory]
    [InlineData(null, "1", "missing X-Sensor")]
    [InlineData("  ", "1", "missing X-Sensor")]
    [InlineData("esp8266-15132406", null, "missing X-Pin")]
    [InlineData("esp8266-15132406", "", "missing X-Pin")]
    [InlineData("esp8266-15132406", "1234", "X-Pin '1234' must be 1 to 3 digits")]
    [InlineData("esp8266-15132406", "p1", "X-Pin 'p1' must be 1 to 3 digits")]
    [InlineData("esp8266 15132406", "1", "invalid X-Sensor header")]
    [InlineData("esp/../../etc", "1", "invalid X-Sensor header")]
    public void Missing_or_invalid_headers_reject_the_whole_push(string? xSensor, string? xPin, string mentions)
    {
        var result = Decode(Sample, xSensor, xPin);

        Assert.Empty(result.Readings);
        Assert.Equal(1, result.SingleRecordRejection(mentions).Record);
    }

    [Fact]
    public void Pin_of_three_digits_and_header_white_space_are_fine()
    {
        Assert.Equal("esp32-1a2b:123", Assert.Single(Decode(Sample, " esp32-1a2b ", " 123").Readings).SensorId);
    }

    [Theory]
    [InlineData("\"abc\"", "is not a number: 'abc'")]
    [InlineData("\"\"", "is empty")]
    [InlineData("\"66,04\"", "is not a number")]
    [InlineData("\"NaN\"", "not a finite number")]
    [InlineData("\"Infinity\"", "not a finite number")]
    [InlineData("\"-Infinity\"", "not a finite number")]
    [InlineData("\"1e400\"", "not a finite number")]
    [InlineData("1e400", "not a finite number")]
    [InlineData("\"-3\"", "negative concentration")]
    [InlineData("\"1e308\"", "outside the plausible range")]
    [InlineData("null", "must be a number or a numeric string, got null")]
    [InlineData("true", "got boolean")]
    [InlineData("{\"v\":1}", "got object")]
    [InlineData("[1]", "got array")]
    public void Bad_value_rejects_only_that_value(string p1, string mentions)
    {
        var result = Decode(Push($$"""{"value_type":"P1","value":{{p1}}},{"value_type":"P2","value":"5"}"""));

        Assert.Equal(5, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("pm10", mentions);
    }

    [Fact]
    public void Value_without_value_is_rejected_as_missing()
    {
        var result = Decode(Push("""{"value_type":"P1"},{"value_type":"P2","value":"5"}"""));

        result.SingleValueRejection("pm10", "is missing");
    }

    [Theory]
    [InlineData("""{"value":"5"}""", "no 'value_type'")]
    [InlineData("""{"value_type":1,"value":"5"}""", "'value_type' must be a string, got number")]
    [InlineData("42", "entry must be an object")]
    [InlineData("\"P1=5\"", "entry must be an object")]
    [InlineData("[]", "entry must be an object")]
    public void Bad_entry_rejects_that_entry_and_names_its_position(string entry, string mentions)
    {
        var result = Decode(Push($$"""{"value_type":"P2","value":"5"},{{entry}}"""));

        Assert.Equal(5, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("sensordatavalues[1]", mentions);
    }

    [Fact]
    public void Prefixed_value_types_are_mapped_and_give_the_sensor_type()
    {
        var sds = Assert.Single(Decode(Push("""{"value_type":"SDS_P1","value":"12.5"},{"value_type":"SDS_P2","value":"7.5"}""")).Readings);
        Assert.Equal(12.5, Value(sds, Quantity.Pm10));
        Assert.Equal(7.5, Value(sds, Quantity.Pm25));
        Assert.Equal("SDS011", sds.SensorType);

        var bme = Assert.Single(Decode(
            Push("""{"value_type":"BME280_temperature","value":"3.20"},{"value_type":"BME280_pressure","value":"101325.00"},{"value_type":"BME280_humidity","value":"81.3"}"""),
            xPin: "11").Readings);
        Assert.Equal(3.2, Value(bme, Quantity.Temperature));
        Assert.Equal(1013.25, Value(bme, Quantity.Pressure));
        Assert.Equal(81.3, Value(bme, Quantity.Humidity));
        Assert.Equal("BME280", bme.SensorType);

        var mixed = Assert.Single(Decode(Push("""{"value_type":"SDS_P1","value":"1"},{"value_type":"PMS_P2","value":"2"}""")).Readings);
        Assert.Null(mixed.SensorType);
    }

    [Fact]
    public void Unknown_value_types_are_kept_by_name()
    {
        var reading = Assert.Single(Decode(Push(
            """{"value_type":"noise_LAeq","value":"45.2"},{"value_type":"samples","value":"1800"},{"value_type":"signal","value":"-71"},{"value_type":"min_micro","value":"210"}""")).Readings);

        Assert.Equal(45.2, Value(reading, "noise_LAeq"));
        Assert.Equal(1800, Value(reading, "samples"));
        Assert.Equal(-71, Value(reading, "signal"));
        Assert.Equal(210, Value(reading, "min_micro"));
    }

    [Fact]
    public void Sea_level_pressure_is_converted_and_kept_as_unknown_quantity()
    {
        var reading = Assert.Single(Decode(Push("""{"value_type":"pressure","value":"99823"},{"value_type":"pressure_at_sealevel","value":"101250"}"""), xPin: "3").Readings);

        Assert.Equal(998.23, Value(reading, Quantity.Pressure));
        Assert.Equal(1012.5, Value(reading, "pressure_at_sealevel"));
    }

    [Fact]
    public void Push_with_no_acceptable_value_is_rejected_whole()
    {
        var result = Decode(Push("""{"value_type":"P1","value":"abc"},{"value_type":"P2","value":"-1"}"""));

        Assert.Empty(result.Readings);
        var rejection = result.SingleRecordRejection("no acceptable values");
        Assert.Contains("not a number", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("negative concentration", rejection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty body")]
    [InlineData(" \r\n ", "empty body")]
    [InlineData("""{"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","val""", "malformed JSON at byte")]
    [InlineData("""{"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","value":"1"}]""", "malformed JSON")]
    [InlineData("""{"sensordatavalues":[{"value_type":"P1","value":"1"}]} trailing""", "malformed JSON")]
    [InlineData("P1=66.04&P2=53.32", "malformed JSON")]
    [InlineData("""[{"value_type":"P1","value":"1"}]""", "body must be a JSON object, got array")]
    [InlineData("\"text\"", "body must be a JSON object, got string")]
    [InlineData("""{"software_version":"NRZ-2020-129"}""", "missing 'sensordatavalues'")]
    [InlineData("""{"sensordatavalues":{"P1":"1"}}""", "'sensordatavalues' must be an array, got object")]
    [InlineData("""{"sensordatavalues":"P1"}""", "'sensordatavalues' must be an array, got string")]
    [InlineData("""{"sensordatavalues":[]}""", "no values")]
    public void Garbage_body_is_one_rejection_for_the_push(string body, string mentions)
    {
        var result = Decode(body);

        Assert.Empty(result.Readings);
        var rejection = result.SingleRecordRejection(mentions);
        Assert.Equal(1, rejection.Record);
        Assert.Equal("esp8266-15132406:1", rejection.SensorId);
        Assert.Equal(1, result.RecordCount);
    }

    [Fact]
    public void Deep_nesting_is_a_rejection_not_a_crash()
    {
        var deep = new string('[', 200) + new string(']', 200);

        var result = Decode($$"""{"extra":{{deep}},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""");

        Assert.Empty(result.Readings);
        result.SingleRecordRejection("depth");
    }

    [Fact]
    public void Invalid_utf8_in_a_value_type_rejects_that_value()
    {
        var body = Utf8(Push("""{"value_type":"P#","value":"1"},{"value_type":"P2","value":"2"}"""));
        body[Array.IndexOf(body, (byte)'#')] = 0xFF;

        var result = _decoder.Decode("esp8266-1", "1", body).WellFormed();

        Assert.Equal(2, Value(Assert.Single(result.Readings), Quantity.Pm25));
        Assert.Contains("not acceptable", Assert.Single(result.Rejections).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_and_sampling_rate_are_ignored()
    {
        var result = Decode(Push("""{"value_type":"P1","value":"1","id":7,"unit":"ugm3"}""", "\"sampling_rate\":null,\"extra\":{\"a\":[1,2]},"));

        Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Same_value_type_twice_keeps_the_first()
    {
        var result = Decode(Push("""{"value_type":"P1","value":"1"},{"value_type":"SDS_P1","value":"2"}"""));

        Assert.Equal(1, Value(Assert.Single(result.Readings), Quantity.Pm10));
        result.SingleValueRejection("pm10", "duplicate");
    }

    [Fact]
    public void Same_push_twice_gives_two_readings_because_idempotency_is_downstream()
    {
        var first = Assert.Single(Decode(Sample).Readings);
        var second = Assert.Single(Decode(Sample).Readings);

        SameReading(first, second);
    }
}
