using System.Text;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class CanonicalJsonDecoderTests
{
    private const string Sample =
        """{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":12.3,"pm10":20.1,"temperature":3.2},"location":{"latitude":51.04,"longitude":13.74,"altitude":120,"country":"DE","indoor":false},"sensorType":"SDS011"}""";

    private static readonly DateTimeOffset SampleTime = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly CanonicalJsonDecoder _decoder = new(Validator);

    private DecodeResult Decode(string json, CanonicalLayout layout = CanonicalLayout.Auto) => _decoder.Decode(Utf8(json), layout).WellFormed();

    private static string Reading(string sensorId = "dd-001", string values = """{"pm25":12.3}""", string timestamp = "2026-11-23T10:00:00Z") =>
        $$"""{"sensorId":"{{sensorId}}","timestamp":"{{timestamp}}","values":{{values}}}""";

    [Fact]
    public void Single_object_is_decoded_completely()
    {
        var result = Decode(Sample);

        var reading = Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Equal(1, result.RecordCount);
        Assert.Equal("dd-001", reading.SensorId);
        Assert.Equal(SampleTime, reading.Timestamp);
        Assert.Equal(3, reading.Values.Count);
        Assert.Equal(12.3, Value(reading, Quantity.Pm25));
        Assert.Equal(20.1, Value(reading, Quantity.Pm10));
        Assert.Equal(3.2, Value(reading, Quantity.Temperature));
        Assert.Equal(new SensorLocation(51.04, 13.74, 120, "DE", false), reading.Location);
        Assert.Equal("SDS011", reading.SensorType);
    }

    [Fact]
    public void Location_and_sensor_type_are_optional_and_unknown_properties_ignored()
    {
        var result = Decode("""{"sensorId":"a","firmware":{"v":[1,2]},"timestamp":"2026-11-23T10:00:00Z","values":{"pm10":5},"note":"x"}""");

        var reading = Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Null(reading.Location);
        Assert.Null(reading.SensorType);
    }

    [Fact]
    public void Array_gives_one_reading_per_element_in_order()
    {
        var result = Decode($"[{Reading("a")},{Reading("b")},{Reading("c")}]");

        Assert.Equal(["a", "b", "c"], result.Readings.Select(r => r.SensorId));
        Assert.Equal(3, result.RecordCount);
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Empty_array_gives_nothing_and_no_rejection()
    {
        var result = Decode("[ ]");

        Assert.Empty(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Equal(0, result.RecordCount);
    }

    [Fact]
    public void Ndjson_skips_blank_lines_accepts_crlf_and_numbers_records_and_lines()
    {
        var body = $"{Reading("a")}\r\n\r\n{Reading("b")}\n   \n{Reading("c")}\n";

        var result = Decode(body);

        Assert.Equal(["a", "b", "c"], result.Readings.Select(r => r.SensorId));
        Assert.Equal(3, result.RecordCount);
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Ndjson_garbage_line_is_rejected_alone_with_its_record_and_line_number()
    {
        var body = $"{Reading("a")}\n\nthis is not json\n{Reading("c")}\n";

        var result = Decode(body);

        Assert.Equal(["a", "c"], result.Readings.Select(r => r.SensorId));
        var rejection = result.SingleRecordRejection("malformed JSON");
        Assert.Equal(2, rejection.Record);
        Assert.Equal(3, rejection.Line);
    }

    [Fact]
    public void Ndjson_line_with_data_after_the_object_is_rejected_whole()
    {
        var result = Decode($"{Reading("a")}\n{Reading("b")} trailing\n");

        Assert.Equal("a", Assert.Single(result.Readings).SensorId);
        Assert.Equal(2, result.SingleRecordRejection("malformed JSON").Line);
    }

    [Fact]
    public void Ndjson_first_line_garbage_still_reads_as_ndjson()
    {
        var result = Decode($"{{\"sensorId\":\n{Reading("b")}\n{Reading("c")}\n");

        Assert.Equal(["b", "c"], result.Readings.Select(r => r.SensorId));
        Assert.Equal(1, result.SingleRecordRejection("malformed JSON").Line);
    }

    [Fact]
    public void Pretty_printed_single_object_is_one_json_value_not_ndjson()
    {
        var body = """
            {
              "sensorId": "a",
              "timestamp": "2026-11-23T10:00:00Z",
              "values": { "pm25": 1.5 }
            }
            """;

        var result = Decode(body);

        Assert.Equal(1.5, Value(Assert.Single(result.Readings), Quantity.Pm25));
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Broken_pretty_printed_object_is_one_rejection_not_one_per_line()
    {
        var body = "{\n  \"sensorId\": \"a\",\n  \"timestamp\": \"2026-11-23T10:00:00Z\",\n  \"values\": { \"pm25\": 1.5 \n";

        var result = Decode(body);

        Assert.Empty(result.Readings);
        Assert.Equal(1, result.SingleRecordRejection("malformed JSON").Record);
    }

    [Fact]
    public void Explicit_layouts_override_detection()
    {
        var twoLines = $"{Reading("a")}\n{Reading("b")}";

        Assert.Equal(2, Decode(twoLines, CanonicalLayout.Ndjson).Readings.Count);

        // As one JSON value, the second object is data after the end: the first is kept, the rest rejected.
        var asJson = Decode(twoLines, CanonicalLayout.Json);
        Assert.Equal("a", Assert.Single(asJson.Readings).SensorId);
        Assert.Equal(2, asJson.SingleRecordRejection("malformed JSON").Record);

        // A one-line array read as NDJSON is a line that is not an object.
        var arrayAsNdjson = Decode($"[{Reading("a")}]", CanonicalLayout.Ndjson);
        Assert.Empty(arrayAsNdjson.Readings);
        Assert.Contains("got array", Assert.Single(arrayAsNdjson.Rejections).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Byte_order_mark_is_skipped()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Utf8(Reading("a"))).ToArray();

        var result = _decoder.Decode(body).WellFormed();

        Assert.Equal("a", Assert.Single(result.Readings).SensorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t \n")]
    [InlineData("\uFEFF")]
    [InlineData("\uFEFF \n")]
    public void Empty_or_white_space_body_is_one_rejection_for_the_whole_input(string body)
    {
        foreach (var layout in Enum.GetValues<CanonicalLayout>())
        {
            var result = Decode(body, layout);

            Assert.Empty(result.Readings);
            Assert.Equal(0, result.RecordCount);
            Assert.Equal(0, result.SingleRecordRejection("empty body").Record);
        }
    }

    [Fact]
    public void Truncated_array_keeps_every_element_read_completely_before_the_cut()
    {
        var elements = new[] { Reading("a"), Reading("b"), Reading("c") };
        var json = "[" + string.Join(",", elements) + "]";
        var ends = new List<int>();
        var at = 1;
        foreach (var element in elements)
        {
            at += element.Length;
            ends.Add(at);
            at++;
        }

        // Cut inside the first element, right after each element, inside keys and values, and just before "]".
        int[] cuts = [1, 2, 15, ends[0] - 1, ends[0], ends[0] + 1, ends[0] + 5, ends[1] - 3, ends[1], ends[1] + 1, ends[2] - 1, ends[2]];
        foreach (var cut in cuts)
        {
            var completed = ends.Count(end => end <= cut);

            var result = Decode(json[..cut]);

            Assert.Equal(elements.Take(completed).Select((_, i) => ((char)('a' + i)).ToString()), result.Readings.Select(r => r.SensorId));
            var rejection = result.SingleRecordRejection("malformed JSON at byte");
            Assert.Equal(completed + 1, rejection.Record);
        }
    }

    [Fact]
    public void Truncated_ndjson_loses_only_the_cut_line()
    {
        var body = $"{Reading("a")}\n{Reading("b")}\n{Reading("c")}";

        var result = Decode(body[..^10]);

        Assert.Equal(["a", "b"], result.Readings.Select(r => r.SensorId));
        Assert.Equal(3, result.SingleRecordRejection("malformed JSON").Line);
    }

    [Fact]
    public void Malformed_json_reason_gives_the_byte_offset_in_the_input()
    {
        var result = Decode($"[{Reading("a")},\n  {{\"sensorId\": x}}]");

        var rejection = result.SingleRecordRejection("malformed JSON at byte");
        var expectedOffset = Reading("a").Length + 2 + 3 + "{\"sensorId\": ".Length;
        Assert.Contains($"at byte {expectedOffset}:", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(2, rejection.Record);
        Assert.Equal("a", Assert.Single(result.Readings).SensorId);
    }

    [Theory]
    [InlineData("""{"sensorId":42,"timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "'sensorId' must be a string, got number")]
    [InlineData("""{"sensorId":["a"],"timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "'sensorId' must be a string, got array")]
    [InlineData("""{"sensorId":"a","timestamp":1763892000,"values":{"pm25":1}}""", "'timestamp' must be a string, got number")]
    [InlineData("""{"sensorId":"a","timestamp":{"t":1},"values":{"pm25":1}}""", "'timestamp' must be a string, got object")]
    [InlineData("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":[12.3]}""", "'values' must be an object, got array")]
    [InlineData("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":"pm25=1"}""", "'values' must be an object, got string")]
    [InlineData("""{"timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "missing 'sensorId'")]
    [InlineData("""{"sensorId":"a","values":{"pm25":1}}""", "missing 'timestamp'")]
    [InlineData("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z"}""", "missing 'values'")]
    [InlineData("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{}}""", "no values")]
    [InlineData("""{"sensorId":"","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "sensor id is empty")]
    [InlineData("""{"sensorId":"a b","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "sensor id contains ' '")]
    [InlineData("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00","values":{"pm25":1}}""", "no UTC offset")]
    [InlineData("""{"sensorId":"a","timestamp":"yesterday","values":{"pm25":1}}""", "not an ISO 8601")]
    [InlineData("""{"sensorId":"a","timestamp":"2026-02-30T10:00:00Z","values":{"pm25":1}}""", "not a valid date")]
    [InlineData("""{"sensorId":"a","timestamp":"2027-11-23T10:00:00Z","values":{"pm25":1}}""", "in the future")]
    [InlineData("""{"sensorId":"a","timestamp":"1970-01-01T00:00:00Z","values":{"pm25":1}}""", "before 2000")]
    [InlineData("\"just a string\"", "must be a JSON array or object, got string")]
    [InlineData("42", "must be a JSON array or object, got number")]
    [InlineData("[42]", "array element must be a JSON object, got number")]
    [InlineData("[[{}]]", "array element must be a JSON object, got array")]
    [InlineData("[null]", "got null")]
    public void Record_level_problems_reject_the_record_with_a_reason(string json, string mentions)
    {
        var result = Decode(json);

        Assert.Empty(result.Readings);
        Assert.Equal(1, result.SingleRecordRejection(mentions).Record);
    }

    [Fact]
    public void Bad_record_in_an_array_does_not_spoil_its_neighbours()
    {
        var result = Decode($"[{Reading("a")},{{\"sensorId\":7}},\"x\",{Reading("d")}]");

        Assert.Equal(["a", "d"], result.Readings.Select(r => r.SensorId));
        Assert.Equal([2, 3], result.Rejections.Select(r => r.Record));
        Assert.Equal(4, result.RecordCount);
    }

    [Theory]
    [InlineData("\"12.3\"", "must be a number, got string")]
    [InlineData("\"NaN\"", "must be a number, got string")]
    [InlineData("\"Infinity\"", "must be a number, got string")]
    [InlineData("true", "must be a number, got boolean")]
    [InlineData("null", "must be a number, got null")]
    [InlineData("{\"v\":1}", "must be a number, got object")]
    [InlineData("[1]", "must be a number, got array")]
    [InlineData("1e400", "not a finite number")]
    [InlineData("-1e400", "not a finite number")]
    [InlineData("1e308", "outside the plausible range")]
    [InlineData("-4.5", "negative concentration")]
    [InlineData("900", "outside the plausible range")]
    public void Bad_value_rejects_only_that_value(string pm25, string mentions)
    {
        var result = Decode(Reading(values: $$"""{"pm10":20.1,"pm25":{{pm25}},"temperature":-3.5}"""));

        var reading = Assert.Single(result.Readings);
        Assert.Equal([Quantity.Pm10, Quantity.Temperature], reading.Values.Select(v => v.Quantity));
        Assert.Equal(-3.5, Value(reading, Quantity.Temperature));
        var rejection = result.SingleValueRejection("pm25", mentions);
        Assert.Equal("dd-001", rejection.SensorId);
        Assert.Equal(1, rejection.Record);
        Assert.Equal(1, result.RejectedValueCount);
        Assert.Equal(0, result.RejectedRecordCount);
    }

    [Fact]
    public void Thousand_digit_number_is_not_finite_and_does_not_crash()
    {
        var huge = "1" + new string('0', 999);
        var tiny = "0." + new string('0', 998) + "1";

        var result = Decode(Reading(values: $$"""{"pm10":{{huge}},"noise_LAeq":{{tiny}},"pm25":3}"""));

        var reading = Assert.Single(result.Readings);
        Assert.Equal(0.0, Value(reading, "noise_LAeq"));
        Assert.Equal(3.0, Value(reading, Quantity.Pm25));
        var rejection = result.SingleValueRejection("pm10", "not a finite number");
        Assert.True(rejection.Reason.Length < 200, "the reason quotes the number, not all of it");
    }

    [Fact]
    public void Record_whose_values_are_all_bad_is_rejected_whole_naming_the_problems()
    {
        var result = Decode(Reading(values: """{"pm25":-1,"pm10":"x"}"""));

        Assert.Empty(result.Readings);
        var rejection = result.SingleRecordRejection("no acceptable values");
        Assert.Contains("negative concentration", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains("got string", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_quantities_are_kept_by_name_and_known_aliases_understood()
    {
        var result = Decode(Reading(values: """{"PM2.5":7,"noise_LAeq":45.2,"samples":1800,"temp":21.5}"""));

        var reading = Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Equal(7, Value(reading, Quantity.Pm25));
        Assert.Equal(21.5, Value(reading, Quantity.Temperature));
        Assert.Equal(45.2, Value(reading, "noise_LAeq"));
        Assert.Equal(QuantityKind.Other, reading.Values.Single(v => v.Quantity.Name == "samples").Quantity.Kind);
    }

    [Fact]
    public void Unacceptable_quantity_name_rejects_that_value()
    {
        var longName = new string('x', 65);

        var result = Decode(Reading(values: $$"""{"pm25":1,"{{longName}}":2,"":3}"""));

        Assert.Equal(1, Value(Assert.Single(result.Readings), Quantity.Pm25));
        Assert.Equal(2, result.Rejections.Count);
        Assert.All(result.Rejections, r => Assert.Contains("not an acceptable quantity name", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Second_value_for_the_same_quantity_is_rejected_and_the_first_kept()
    {
        var result = Decode(Reading(values: """{"pm25":1.5,"PM2.5":2.5}"""));

        Assert.Equal(1.5, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("pm25", "duplicate");
    }

    [Fact]
    public void Same_record_twice_gives_two_readings_because_idempotency_is_downstream()
    {
        var result = Decode($"[{Sample},{Sample}]");

        Assert.Equal(2, result.Readings.Count);
        SameReading(result.Readings[0], result.Readings[1]);
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Repeated_sensor_ids_share_one_string()
    {
        var result = Decode($"[{Reading("a")},{Reading("b")},{Reading("a")}]");

        Assert.Same(result.Readings[0].SensorId, result.Readings[2].SensorId);
    }

    [Theory]
    [InlineData("2026-11-23T12:00:00+02:00")]
    [InlineData("2026-11-23T12:00:00+0200")]
    [InlineData("2026-11-23T05:00:00-05:00")]
    [InlineData("2026-11-23t10:00:00z")]
    [InlineData("2026-11-23T10:00Z")]
    [InlineData("2026-11-23 10:00:00Z")]
    public void Timestamps_with_an_offset_are_normalised_to_utc(string timestamp)
    {
        var reading = Assert.Single(Decode(Reading(timestamp: timestamp)).Readings);

        Assert.Equal(SampleTime, reading.Timestamp);
        Assert.Equal(TimeSpan.Zero, reading.Timestamp.Offset);
    }

    [Fact]
    public void Fractional_seconds_are_kept_to_the_tick()
    {
        var reading = Assert.Single(Decode(Reading(timestamp: "2026-11-23T10:00:00.1234567891Z")).Readings);

        Assert.Equal(SampleTime.AddTicks(1_234_567), reading.Timestamp);
    }

    [Theory]
    [InlineData("""{"latitude":95,"longitude":13.74}""", "latitude 95")]
    [InlineData("""{"latitude":51,"longitude":13,"country":"Germany"}""", "two-letter code")]
    [InlineData("""{"latitude":51}""", "needs 'latitude' and 'longitude'")]
    [InlineData("""{"latitude":"51.04","longitude":13.74}""", "'latitude' must be a number, got string")]
    [InlineData("""{"latitude":51,"longitude":13,"indoor":"no"}""", "'indoor' must be true or false, got string")]
    [InlineData("\"Dresden\"", "'location' must be an object, got string")]
    [InlineData("[51.04,13.74]", "'location' must be an object, got array")]
    public void Bad_location_is_rejected_as_value_location_and_the_reading_kept_without_it(string location, string mentions)
    {
        var result = Decode($$"""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"location":{{location}}}""");

        var reading = Assert.Single(result.Readings);
        Assert.Null(reading.Location);
        result.SingleValueRejection("location", mentions);
    }

    [Fact]
    public void Repeated_location_rejects_the_record_once()
    {
        var repeated = string.Concat(Enumerable.Repeat(",\"location\":\"x\"", 1000));

        var result = Decode($$"""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}{{repeated}}}""");

        // A key given twice is a duplicate key (the record is rejected), and it is reported once, not 999 times.
        Assert.Empty(result.Readings);
        result.SingleRecordRejection("duplicate key 'location'");
    }

    [Fact]
    public void Null_location_and_sensor_type_are_simply_absent()
    {
        var result = Decode("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"location":null,"sensorType":null}""");

        Assert.Empty(result.Rejections);
        Assert.Null(Assert.Single(result.Readings).Location);
    }

    [Fact]
    public void Bad_sensor_type_is_rejected_and_the_reading_kept()
    {
        var result = Decode("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"sensorType":11}""");

        Assert.Null(Assert.Single(result.Readings).SensorType);
        result.SingleValueRejection("sensorType", "must be a string, got number");
    }

    [Fact]
    public void Escaped_strings_are_unescaped()
    {
        var result = Decode("""{"sensor\u0049d":"dd\u002D001","timestamp":"2026-11-23T10:00:00\u005A","values":{"pm\u00325":4}}""");

        var reading = Assert.Single(result.Readings);
        Assert.Equal("dd-001", reading.SensorId);
        Assert.Equal(4, Value(reading, Quantity.Pm25));
    }

    [Fact]
    public void Invalid_utf8_in_a_sensor_id_rejects_the_record_and_in_a_name_rejects_the_value()
    {
        var body = Utf8("""[{"sensorId":"a#","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}},{"sensorId":"b","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1,"x#":2}}]""");
        body[Array.IndexOf(body, (byte)'#')] = 0xFF;
        body[Array.LastIndexOf(body, (byte)'#')] = 0xC3;

        var result = _decoder.Decode(body).WellFormed();

        var reading = Assert.Single(result.Readings);
        Assert.Equal("b", reading.SensorId);
        Assert.Equal(2, result.Rejections.Count);
        Assert.Contains("not valid UTF-8", result.Rejections[0].Reason, StringComparison.Ordinal);
        Assert.Null(result.Rejections[0].Quantity);
        Assert.Contains("not an acceptable quantity name", result.Rejections[1].Reason, StringComparison.Ordinal);
        Assert.NotNull(result.Rejections[1].Quantity);
    }

    [Fact]
    public void Invalid_utf8_outside_strings_is_malformed_json()
    {
        var body = Utf8($"{Reading("a")}\n#\n{Reading("c")}\n");
        body[Array.IndexOf(body, (byte)'#')] = 0xFE;

        var result = _decoder.Decode(body).WellFormed();

        Assert.Equal(2, result.Readings.Count);
        Assert.Equal(2, result.SingleRecordRejection("malformed JSON").Line);
    }

    [Fact]
    public void Nesting_deeper_than_64_is_a_rejection_not_a_crash()
    {
        var deep = new string('[', 100) + new string(']', 100);

        var inArray = Decode($"[{Reading("a")},{{\"sensorId\":\"b\",\"extra\":{deep}}}]");
        Assert.Equal("a", Assert.Single(inArray.Readings).SensorId);
        Assert.Equal(2, inArray.SingleRecordRejection("depth").Record);

        var inNdjson = Decode($"{Reading("a")}\n{{\"extra\":{deep}}}\n{Reading("c")}\n");
        Assert.Equal(["a", "c"], inNdjson.Readings.Select(r => r.SensorId));
        Assert.Equal(2, inNdjson.SingleRecordRejection("depth").Line);

        var bare = Decode(new string('{', 10_000));
        Assert.Empty(bare.Readings);
        Assert.Single(bare.Rejections);
    }

    [Fact]
    public void Exactly_256_values_are_accepted_and_257_reject_the_record()
    {
        static string Values(int count) => "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"q{i}\":{i}")) + "}";

        var atLimit = Decode(Reading(values: Values(256)));
        Assert.Equal(256, Assert.Single(atLimit.Readings).Values.Count);

        var overLimit = Decode(Reading(values: Values(257)));
        Assert.Empty(overLimit.Readings);
        overLimit.SingleRecordRejection("more than 256 values");
    }

    [Fact]
    public void Ten_megabyte_ndjson_with_one_garbage_line_decodes_every_good_reading()
    {
        const int count = 50_000;
        var builder = new StringBuilder(count * 220);
        for (var i = 0; i < count; i++)
        {
            if (i == count / 2)
            {
                builder.Append("{\"sensorId\":\"garbage\",\"timestamp\":\n");
            }

            builder.Append("{\"sensorId\":\"sensor-").Append(i % 1000)
                .Append("\",\"timestamp\":\"2026-11-23T09:").Append((i % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture))
                .Append(":00Z\",\"values\":{\"pm25\":").Append(i % 500).Append(".25,\"pm10\":").Append(i % 900).Append(".5,\"temperature\":12.5},")
                .Append("\"location\":{\"latitude\":51.04,\"longitude\":13.74,\"altitude\":120,\"country\":\"DE\",\"indoor\":false},\"sensorType\":\"SDS011\"}\n");
        }

        var body = Utf8(builder.ToString());
        Assert.True(body.Length > 9_500_000, $"body is {body.Length} bytes");

        var result = _decoder.Decode(body).WellFormed();

        Assert.Equal(count, result.Readings.Count);
        var rejection = result.SingleRecordRejection("malformed JSON");
        Assert.Equal((count / 2) + 1, rejection.Record);
        Assert.Equal(count + 1, result.RecordCount);
        Assert.Equal(499.25, Value(result.Readings[499], Quantity.Pm25));
    }
}
