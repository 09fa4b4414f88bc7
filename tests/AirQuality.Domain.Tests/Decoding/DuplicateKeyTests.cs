using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

/// <summary>
/// A key given twice in one object cannot be resolved honestly (which one did the sender mean?), so every
/// decoder rejects that record whole, naming the key, and keeps the other records of its batch.
/// </summary>
public sealed class DuplicateKeyTests
{
    private const string Good = """{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":12.3}}""";

    private readonly CanonicalJsonDecoder _canonical = new(Validator);
    private readonly SensorCommunityPushDecoder _push = new(Validator, Clock);
    private readonly SensorCommunityRecordsDecoder _records = new(Validator);
    private readonly SensorCommunityCsvDecoder _csv = new(Validator);

    [Theory]
    [InlineData("""{"sensorId":"dd-001","sensorId":"dd-002","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "'sensorId'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","timestamp":"2026-11-23T09:00:00Z","values":{"pm25":1}}""", "'timestamp'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"values":{"pm10":2}}""", "'values'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1,"pm25":2}}""", "'pm25' in 'values'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":-1,"pm25":2}}""", "'pm25' in 'values'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"location":{"latitude":51,"longitude":13,"latitude":52}}""", "'latitude' in 'location'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"location":{"latitude":51,"longitude":13},"location":null}""", "'location'")]
    [InlineData("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"sensorType":"SDS011","sensorType":"PMS"}""", "'sensorType'")]
    [InlineData("""{"sensor\u0049d":"dd-001","sensorId":"dd-002","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""", "'sensorId'")]
    public void Canonical_record_with_a_duplicate_key_is_rejected_naming_it_and_its_neighbours_kept(string record, string mentions)
    {
        foreach (var layout in new[] { CanonicalLayout.Json, CanonicalLayout.Ndjson })
        {
            var body = layout == CanonicalLayout.Json ? $"[{Good},{record},{Good}]" : $"{Good}\n{record}\n{Good}";
            var result = _canonical.Decode(Utf8(body), layout).WellFormed();

            Assert.Equal(2, result.Readings.Count);
            var rejection = Assert.Single(result.Rejections);
            Assert.Equal(2, rejection.Record);
            Assert.Null(rejection.Quantity);
            Assert.Contains("duplicate key", rejection.Reason, StringComparison.Ordinal);
            Assert.Contains(mentions, rejection.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_keys_given_twice_are_ignored_like_any_unknown_key()
    {
        var result = _canonical.Decode(Utf8("""{"sensorId":"dd-001","note":1,"note":2,"timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}"""), CanonicalLayout.Json).WellFormed();

        Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
    }

    [Theory]
    [InlineData("""{"sensordatavalues":[{"value_type":"P1","value":"1"}],"sensordatavalues":[{"value_type":"P2","value":"2"}]}""", "'sensordatavalues'")]
    [InlineData("""{"timestamp":"2026-11-23 10:00:00","timestamp":"2026-11-23 09:00:00","sensordatavalues":[{"value_type":"P1","value":"1"}]}""", "'timestamp'")]
    [InlineData("""{"sensordatavalues":[{"value_type":"P1","value":"1","value":"2"}]}""", "'value'")]
    [InlineData("""{"sensordatavalues":[{"value_type":"P1","value_type":"P2","value":"1"}]}""", "'value_type'")]
    public void Sensor_community_push_with_a_duplicate_key_is_rejected_naming_it(string body, string mentions)
    {
        var result = _push.Decode("esp8266-1", "1", Utf8(body)).WellFormed();

        Assert.Empty(result.Readings);
        var rejection = result.SingleRecordRejection("duplicate key");
        Assert.Contains(mentions, rejection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","timestamp":"2019-09-03 20:14:54","sensor":{"id":36},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""", "'timestamp'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36},"sensor":{"id":37},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""", "'sensor'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36,"id":37},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""", "'id' in 'sensor'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36,"sensor_type":{"name":"SDS011","name":"PMS"}},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""", "'name' in 'sensor_type'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36},"location":{"latitude":"51","longitude":"13","longitude":"14"},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""", "'longitude' in 'location'")]
    [InlineData("""{"timestamp":"2019-09-03 20:13:54","sensor":{"id":36},"sensordatavalues":[{"value_type":"P1","value":"1","value":"2"}]}""", "'value'")]
    public void Sensor_community_record_with_a_duplicate_key_is_rejected_naming_it_and_its_neighbours_kept(string record, string mentions)
    {
        const string good = """{"timestamp":"2019-09-03 20:13:54","sensor":{"id":40},"sensordatavalues":[{"value_type":"P1","value":"1"}]}""";
        var result = _records.Decode(Utf8($"[{good},{record},{good}]")).WellFormed();

        Assert.Equal(2, result.Readings.Count);
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(2, rejection.Record);
        Assert.Null(rejection.Quantity);
        Assert.Contains("duplicate key", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains(mentions, rejection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sensor_id;timestamp;P1;P1", "'P1'")]
    [InlineData("sensor_id;timestamp;sensor_id;P1", "'sensor_id'")]
    [InlineData("sensor_id;lat;lon;timestamp;P1;LAT", "'LAT'")]
    public void Csv_header_naming_a_column_twice_is_rejected_naming_it(string header, string mentions)
    {
        var result = _csv.Decode(Utf8($"{header}\n36;2019-09-03T00:00:58;1;2\n")).WellFormed();

        Assert.Empty(result.Readings);
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(0, rejection.Record);
        Assert.Contains("duplicate column", rejection.Reason, StringComparison.Ordinal);
        Assert.Contains(mentions, rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_spellings_of_one_quantity_are_not_duplicate_keys_and_keep_the_first_value()
    {
        var result = _canonical.Decode(Utf8("""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1.5,"PM2.5":2.5}}"""), CanonicalLayout.Json).WellFormed();

        Assert.Equal(1.5, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("pm25", "duplicate value");
    }
}
