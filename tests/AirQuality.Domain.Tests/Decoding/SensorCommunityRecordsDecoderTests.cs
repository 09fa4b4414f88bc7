using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class SensorCommunityRecordsDecoderTests
{
    private const string Sample =
        """
        {"id":4767756759,"sampling_rate":null,"timestamp":"2019-09-03 20:13:54",
         "location":{"id":13208,"latitude":"51.044","longitude":"13.746","altitude":"",
                     "country":"DE","exact_location":0,"indoor":1},
         "sensor":{"id":36,"pin":"1","sensor_type":{"id":14,"name":"SDS011","manufacturer":"Nova Fitness"}},
         "sensordatavalues":[{"id":10122094561,"value":"40.80","value_type":"P1"},
                             {"id":10122094562,"value":"21.10","value_type":"P2"}]}
        """;

    private const string Bme280 =
        """{"id":4767756760,"sampling_rate":null,"timestamp":"2019-09-03 20:13:57","location":{"id":13209,"latitude":"48.1","longitude":"11.6","altitude":"519.5","country":"DE","exact_location":1,"indoor":0},"sensor":{"id":37,"pin":"11","sensor_type":{"id":17,"name":"BME280","manufacturer":"Bosch"}},"sensordatavalues":[{"value":"99823.00","value_type":"pressure"},{"value":"101250.00","value_type":"pressure_at_sealevel"},{"value":"14.35","value_type":"temperature"},{"value":"81.60","value_type":"humidity"}]}""";

    private readonly SensorCommunityRecordsDecoder _decoder = new(Validator);

    private DecodeResult Decode(string json) => _decoder.Decode(Utf8(json)).WellFormed();

    private static string Record(int sensor, string values = """{"value":"10","value_type":"P1"}""", string timestamp = "2019-09-03 20:13:54") =>
        $$$"""{"id":1,"timestamp":"{{{timestamp}}}","sensor":{"id":{{{sensor}}},"sensor_type":{"name":"SDS011"}},"sensordatavalues":[{{{values}}}]}""";

    [Fact]
    public void Open_data_record_is_decoded_completely()
    {
        var result = Decode($"[{Sample}]");

        var reading = Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Equal("sc-36", reading.SensorId);
        Assert.Equal(new DateTimeOffset(2019, 9, 3, 20, 13, 54, TimeSpan.Zero), reading.Timestamp);
        Assert.Equal(40.80, Value(reading, Quantity.Pm10));
        Assert.Equal(21.10, Value(reading, Quantity.Pm25));
        Assert.Equal(new SensorLocation(51.044, 13.746, null, "DE", true), reading.Location);
        Assert.Equal("SDS011", reading.SensorType);
    }

    [Fact]
    public void Bme280_record_converts_pressures_from_pascal()
    {
        var reading = Assert.Single(Decode($"[{Bme280}]").Readings);

        Assert.Equal("sc-37", reading.SensorId);
        Assert.Equal(998.23, Value(reading, Quantity.Pressure));
        Assert.Equal(1012.5, Value(reading, "pressure_at_sealevel"));
        Assert.Equal(14.35, Value(reading, Quantity.Temperature));
        Assert.Equal(81.6, Value(reading, Quantity.Humidity));
        Assert.Equal(new SensorLocation(48.1, 11.6, 519.5, "DE", false), reading.Location);
    }

    [Fact]
    public void Single_record_object_is_accepted_as_record_one()
    {
        Assert.Equal("sc-36", Assert.Single(Decode(Sample).Readings).SensorId);
    }

    [Fact]
    public void Bad_records_do_not_spoil_their_neighbours()
    {
        var json = $$"""[{{Sample}},{"timestamp":"2019-09-03 20:13:54","sensordatavalues":[]},{{Bme280}},{"sensor":"36"},{{Record(38)}}]""";

        var result = Decode(json);

        Assert.Equal(["sc-36", "sc-37", "sc-38"], result.Readings.Select(r => r.SensorId));
        Assert.Equal([2, 4], result.Rejections.Select(r => r.Record));
        Assert.Equal(5, result.RecordCount);
    }

    [Theory]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "missing 'sensor.id'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"pin":"1"},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "missing 'sensor.id'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":"36","sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'sensor' must be an object, got string")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":[36],"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'sensor' must be an object, got array")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":"abc"},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'sensor.id' must be a non-negative integer")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":-5},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'sensor.id' must be a non-negative integer")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":3.5},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'sensor.id' must be a non-negative integer")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":{"n":1}},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'sensor.id' must be a number, got object")]
    [InlineData("""{"sensor":{"id":36},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "missing 'timestamp'")]
    [InlineData("""{"timestamp":1567541634,"sensor":{"id":36},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "'timestamp' must be a string, got number")]
    [InlineData("""{"timestamp":"03.09.2019","sensor":{"id":36},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""", "not an ISO 8601")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36}}""", "missing 'sensordatavalues'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36},"sensordatavalues":{"P1":"1"}}""", "'sensordatavalues' must be an array, got object")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36},"sensordatavalues":[]}""", "no values")]
    [InlineData("\"record\"", "array element must be a JSON object, got string")]
    [InlineData("4767756759", "array element must be a JSON object, got number")]
    public void Record_level_problems_reject_the_record(string record, string mentions)
    {
        var result = Decode($"[{record}]");

        Assert.Empty(result.Readings);
        Assert.Equal(1, result.SingleRecordRejection(mentions).Record);
    }

    [Fact]
    public void Sensor_id_given_as_a_digit_string_is_accepted()
    {
        Assert.Equal("sc-36", Assert.Single(Decode("""[{"timestamp":"2019-09-03 20:13:54","sensor":{"id":"36"},"sensordatavalues":[{"value":"1","value_type":"P1"}]}]""").Readings).SensorId);
    }

    [Theory]
    [InlineData("""{"latitude":"abc","longitude":"13.7"}""", "'latitude' is not a number")]
    [InlineData("""{"latitude":"51.0","longitude":"200"}""", "longitude 200")]
    [InlineData("""{"latitude":"51.0"}""", "needs both 'latitude' and 'longitude'")]
    [InlineData("""{"latitude":"51.0","longitude":"13.7","indoor":7}""", "'indoor' must be 0 or 1, got 7")]
    [InlineData("""{"latitude":"51.0","longitude":"13.7","country":1}""", "'country' must be a string, got number")]
    [InlineData("""{"latitude":"51.0","longitude":"13.7","country":"Deutschland"}""", "two-letter code")]
    [InlineData("""{"latitude":["51.0"],"longitude":"13.7"}""", "'latitude' must be a number or a numeric string, got array")]
    [InlineData("\"Dresden\"", "'location' must be an object, got string")]
    public void Bad_location_is_rejected_as_value_location_and_the_reading_kept(string location, string mentions)
    {
        var result = Decode($$"""[{"timestamp":"2019-09-03 20:13:54","location":{{location}},"sensor":{"id":36},"sensordatavalues":[{"value":"1","value_type":"P1"}]}]""");

        Assert.Null(Assert.Single(result.Readings).Location);
        result.SingleValueRejection("location", mentions);
    }

    [Fact]
    public void Location_numbers_may_be_numbers_and_empty_parts_mean_unknown()
    {
        var result = Decode("""[{"timestamp":"2019-09-03 20:13:54","location":{"latitude":51.044,"longitude":13.746,"altitude":"","country":"","indoor":true},"sensor":{"id":36},"sensordatavalues":[{"value":"1","value_type":"P1"}]}]""");

        Assert.Empty(result.Rejections);
        Assert.Equal(new SensorLocation(51.044, 13.746, null, null, true), Assert.Single(result.Readings).Location);
    }

    [Fact]
    public void Location_without_coordinates_is_simply_absent()
    {
        var result = Decode("""[{"timestamp":"2019-09-03 20:13:54","location":{"id":1,"latitude":"","longitude":""},"sensor":{"id":36},"sensordatavalues":[{"value":"1","value_type":"P1"}]}]""");

        Assert.Empty(result.Rejections);
        Assert.Null(Assert.Single(result.Readings).Location);
    }

    [Theory]
    [InlineData("\"NaN\"", "not a finite number")]
    [InlineData("\"Infinity\"", "not a finite number")]
    [InlineData("\"1e400\"", "not a finite number")]
    [InlineData("\"1e308\"", "outside the plausible range")]
    [InlineData("\"forty\"", "is not a number: 'forty'")]
    [InlineData("\"-2\"", "negative concentration")]
    [InlineData("null", "got null")]
    public void Bad_value_rejects_only_that_value(string p1, string mentions)
    {
        var result = Decode($$"""[{{Record(36, $$"""{"value":{{p1}},"value_type":"P1"},{"value":"21.10","value_type":"P2"}""")}}]""");

        Assert.Equal(21.1, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("pm10", mentions);
    }

    [Fact]
    public void Thousand_digit_value_is_rejected_not_crashed_on()
    {
        var result = Decode($$"""[{{Record(36, "{\"value\":\"" + new string('9', 1000) + "\",\"value_type\":\"noise_LAeq\"},{\"value\":\"1\",\"value_type\":\"P2\"}")}}]""");

        Assert.Single(result.Readings);
        result.SingleValueRejection("noise_LAeq", "not a finite number");
    }

    [Fact]
    public void Unknown_value_types_are_kept()
    {
        var reading = Assert.Single(Decode($"[{Record(36, """{"value":"45.2","value_type":"noise_LAeq"},{"value":"7","value_type":"SPS30_P4"}""")}]").Readings);

        Assert.Equal(45.2, Value(reading, "noise_LAeq"));
        Assert.Equal(7, Value(reading, "SPS30_P4"));
    }

    [Fact]
    public void Same_record_twice_gives_two_readings_because_idempotency_is_downstream()
    {
        var result = Decode($"[{Sample},{Sample}]");

        Assert.Equal(2, result.Readings.Count);
        SameReading(result.Readings[0], result.Readings[1]);
        Assert.Same(result.Readings[0].SensorId, result.Readings[1].SensorId);
    }

    [Fact]
    public void Truncated_file_keeps_the_records_read_completely()
    {
        var records = new[] { Record(1), Record(2), Record(3) };
        var json = "[" + string.Join(",", records) + "]";
        var ends = new List<int>();
        var at = 1;
        foreach (var record in records)
        {
            at += record.Length;
            ends.Add(at);
            at++;
        }

        foreach (var cut in new[] { 1, 30, ends[0] - 2, ends[0], ends[0] + 1, ends[1] - 20, ends[1], ends[2] })
        {
            var completed = ends.Count(end => end <= cut);

            var result = Decode(json[..cut]);

            Assert.Equal(Enumerable.Range(1, completed).Select(i => $"sc-{i}"), result.Readings.Select(r => r.SensorId));
            Assert.Equal(completed + 1, result.SingleRecordRejection("malformed JSON at byte").Record);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ")]
    public void Empty_body_is_one_rejection_with_record_zero(string body)
    {
        var result = Decode(body);

        Assert.Empty(result.Readings);
        Assert.Equal(0, result.SingleRecordRejection("empty body").Record);
    }

    [Theory]
    [InlineData("\"data\"", "must be a JSON array or object, got string")]
    [InlineData("null", "got null")]
    [InlineData("<html>502 Bad Gateway</html>", "malformed JSON")]
    public void Body_that_is_not_records_is_rejected(string body, string mentions)
    {
        var result = Decode(body);

        Assert.Empty(result.Readings);
        result.SingleRecordRejection(mentions);
    }

    [Fact]
    public void Deep_nesting_is_a_rejection_not_a_crash()
    {
        var deep = new string('{', 1) + string.Concat(Enumerable.Repeat("\"a\":{", 80)) + new string('}', 81);

        var result = Decode($"[{Record(1)},{{\"x\":{deep}}},{Record(3)}]");

        Assert.Equal("sc-1", Assert.Single(result.Readings).SensorId);
        Assert.Equal(2, result.SingleRecordRejection("depth").Record);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_rejected_where_it_matters()
    {
        var body = Utf8($"[{Record(1, """{"value":"1#","value_type":"P1"},{"value":"2","value_type":"P2"}""")}]");
        body[Array.IndexOf(body, (byte)'#')] = 0xFF;

        var result = _decoder.Decode(body).WellFormed();

        Assert.Equal(2, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("pm10", "not a number");
    }
}
