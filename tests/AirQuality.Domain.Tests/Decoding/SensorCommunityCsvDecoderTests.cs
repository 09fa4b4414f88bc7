using System.Text;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class SensorCommunityCsvDecoderTests
{
    private const string SdsHeader = "sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2";
    private const string SdsRow = "36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;";
    private const string BmeHeader = "sensor_id;sensor_type;location;lat;lon;timestamp;pressure;altitude;pressure_sealevel;temperature;humidity";
    private const string BmeRow = "37;BME280;13209;48.1;11.6;2019-09-03T00:01:30;99823.00;;101250.00;14.35;81.60";

    private static readonly DateTimeOffset SdsTime = new(2019, 9, 3, 0, 0, 58, TimeSpan.Zero);

    private readonly SensorCommunityCsvDecoder _decoder = new(Validator);

    private DecodeResult Decode(string csv) => _decoder.Decode(Utf8(csv)).WellFormed();

    [Fact]
    public void Sds011_archive_row_is_decoded()
    {
        var result = Decode($"{SdsHeader}\n{SdsRow}\n");

        var reading = Assert.Single(result.Readings);
        Assert.Empty(result.Rejections);
        Assert.Equal(1, result.RecordCount);
        Assert.Equal("sc-36", reading.SensorId);
        Assert.Equal(SdsTime, reading.Timestamp);
        Assert.Equal(2, reading.Values.Count);
        Assert.Equal(40.80, Value(reading, Quantity.Pm10));
        Assert.Equal(21.10, Value(reading, Quantity.Pm25));
        Assert.Equal(new SensorLocation(51.044, 13.746), reading.Location);
        Assert.Equal("SDS011", reading.SensorType);
    }

    [Fact]
    public void Bme280_archive_row_converts_pressures_and_skips_the_empty_altitude()
    {
        var reading = Assert.Single(Decode($"{BmeHeader}\n{BmeRow}\n").Readings);

        Assert.Equal("sc-37", reading.SensorId);
        Assert.Equal(998.23, Value(reading, Quantity.Pressure));
        Assert.Equal(1012.5, Value(reading, "pressure_at_sealevel"));
        Assert.Equal(14.35, Value(reading, Quantity.Temperature));
        Assert.Equal(81.6, Value(reading, Quantity.Humidity));
        Assert.Equal(4, reading.Values.Count);
        Assert.Equal(new SensorLocation(48.1, 11.6), reading.Location);
    }

    [Fact]
    public void Altitude_column_when_filled_is_the_sensors_altitude()
    {
        var reading = Assert.Single(Decode($"{BmeHeader}\n37;BME280;13209;48.1;11.6;2019-09-03T00:01:30;99823.00;519;;14.35;81.60").Readings);

        Assert.Equal(new SensorLocation(48.1, 11.6, 519), reading.Location);
    }

    [Fact]
    public void Columns_are_found_by_name_in_any_order()
    {
        var result = Decode("P2;timestamp;P1;sensor_id\n21.10;2019-09-03 00:00:58;40.80;36\n");

        var reading = Assert.Single(result.Readings);
        Assert.Equal("sc-36", reading.SensorId);
        Assert.Equal(40.80, Value(reading, Quantity.Pm10));
        Assert.Equal(21.10, Value(reading, Quantity.Pm25));
        Assert.Null(reading.Location);
        Assert.Null(reading.SensorType);
    }

    [Fact]
    public void Quality_columns_are_skipped_even_when_filled()
    {
        var reading = Assert.Single(Decode($"{SdsHeader}\n36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;1.5;0.33;21.10;2;0.5").Readings);

        Assert.Equal([Quantity.Pm10, Quantity.Pm25], reading.Values.Select(v => v.Quantity));
    }

    [Fact]
    public void Crlf_blank_lines_and_bom_are_handled_and_lines_numbered()
    {
        var csv = $"\uFEFF{SdsHeader}\r\n\r\n{SdsRow}\r\n37;SDS011;1;;;2019-09-03T00:01:00;x;;;1;;\r\n\r\n";

        var result = Decode(csv);

        Assert.Equal(["sc-36", "sc-37"], result.Readings.Select(r => r.SensorId));
        var rejection = result.SingleValueRejection("pm10", "not a number");
        Assert.Equal(2, rejection.Record);
        Assert.Equal(4, rejection.Line);
        Assert.Equal("sc-37", rejection.SensorId);
    }

    [Theory]
    [InlineData("2019-09-03T00:00:58")]
    [InlineData("2019-09-03 00:00:58")]
    [InlineData("2019-09-03T00:00:58Z")]
    [InlineData("2019-09-03T02:00:58+02:00")]
    public void Timestamps_are_utc_unless_they_say_otherwise(string timestamp)
    {
        var reading = Assert.Single(Decode($"{SdsHeader}\n36;SDS011;13208;51.044;13.746;{timestamp};40.80;;;21.10;;").Readings);

        Assert.Equal(SdsTime, reading.Timestamp);
    }

    [Theory]
    [InlineData("36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;", "row has 11 cells but the header has 12")]
    [InlineData("36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;;", "row has 13 cells but the header has 12")]
    [InlineData("garbage", "row has 1 cells")]
    [InlineData("abc;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;", "sensor_id 'abc' is not a number")]
    [InlineData("-36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;", "sensor_id '-36' is not a number")]
    [InlineData(";SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;", "missing sensor_id")]
    [InlineData("36;SDS011;13208;51.044;13.746;;40.80;;;21.10;;", "missing timestamp")]
    [InlineData("36;SDS011;13208;51.044;13.746;03/09/2019 00:00;40.80;;;21.10;;", "not an ISO 8601")]
    [InlineData("36;SDS011;13208;51.044;13.746;2019-09-31T00:00:58;40.80;;;21.10;;", "not a valid date")]
    [InlineData("36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;;;;;;", "no values")]
    [InlineData("36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;NaN;;;-1;;", "no acceptable values")]
    public void Bad_row_is_rejected_and_the_others_kept(string row, string mentions)
    {
        var result = Decode($"{SdsHeader}\n{SdsRow}\n{row}\n{SdsRow}\n");

        Assert.Equal(2, result.Readings.Count);
        var rejection = result.SingleRecordRejection(mentions);
        Assert.Equal(2, rejection.Record);
        Assert.Equal(3, rejection.Line);
    }

    [Theory]
    [InlineData("abc", "is not a number: 'abc'")]
    [InlineData("40,80", "is not a number")]
    [InlineData("NaN", "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    [InlineData("1e400", "not a finite number")]
    [InlineData("1e308", "outside the plausible range")]
    [InlineData("-5", "negative concentration")]
    [InlineData("1900", "outside the plausible range")]
    public void Bad_value_rejects_only_that_value(string p1, string mentions)
    {
        var result = Decode($"{SdsHeader}\n36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;{p1};;;21.10;;");

        Assert.Equal(21.1, Value(Assert.Single(result.Readings), Quantity.Pm25));
        result.SingleValueRejection("pm10", mentions);
    }

    [Fact]
    public void Thousand_digit_value_is_rejected_not_crashed_on()
    {
        var result = Decode($"{SdsHeader}\n36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;{new string('9', 1000)};;;21.10;;");

        Assert.Single(result.Readings);
        Assert.True(result.SingleValueRejection("pm10", "not a finite number").Reason.Length < 200);
    }

    [Fact]
    public void Empty_cell_is_an_absent_value_not_a_rejection()
    {
        var reading = Assert.Single(Decode($"{SdsHeader}\n36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;;;;21.10;;").Readings);

        Assert.Equal(Quantity.Pm25, Assert.Single(reading.Values).Quantity);
    }

    [Theory]
    [InlineData("36;SDS011;13208;north;13.746;2019-09-03T00:00:58;40.80;;;21.10;;", "'lat' is not a number")]
    [InlineData("36;SDS011;13208;151.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;", "latitude 151.044")]
    [InlineData("36;SDS011;13208;51.044;;2019-09-03T00:00:58;40.80;;;21.10;;", "needs both 'lat' and 'lon'")]
    public void Bad_location_is_rejected_as_value_location_and_the_reading_kept(string row, string mentions)
    {
        var result = Decode($"{SdsHeader}\n{row}");

        Assert.Null(Assert.Single(result.Readings).Location);
        result.SingleValueRejection("location", mentions);
    }

    [Fact]
    public void Row_without_coordinates_has_no_location_and_no_rejection()
    {
        var result = Decode($"{SdsHeader}\n36;SDS011;13208;;;2019-09-03T00:00:58;40.80;;;21.10;;");

        Assert.Empty(result.Rejections);
        Assert.Null(Assert.Single(result.Readings).Location);
    }

    [Fact]
    public void Unknown_columns_are_kept_as_values_by_name()
    {
        var reading = Assert.Single(Decode("sensor_id;sensor_type;location;lat;lon;timestamp;noise_LAeq;noise_LA_min;noise_LA_max\n50;DNMS;1;51;13;2019-09-03T00:00:58;45.2;38.1;61.0").Readings);

        Assert.Equal(45.2, Value(reading, "noise_LAeq"));
        Assert.Equal(38.1, Value(reading, "noise_LA_min"));
        Assert.Equal(61.0, Value(reading, "noise_LA_max"));
    }

    [Fact]
    public void P1_is_pm10_and_P2_is_pm25_and_P0_pm1()
    {
        var reading = Assert.Single(Decode("sensor_id;timestamp;P0;P1;P2\n1;2019-09-03T00:00:58;5;30;10").Readings);

        Assert.Equal(5, Value(reading, Quantity.Pm1));
        Assert.Equal(30, Value(reading, Quantity.Pm10));
        Assert.Equal(10, Value(reading, Quantity.Pm25));
    }

    [Theory]
    [InlineData(SdsRow + "\n" + SdsRow, "no sensor_id or timestamp column")]
    [InlineData("id;type;time;P1\n1;SDS011;2019-09-03T00:00:58;4", "no sensor_id or timestamp column")]
    [InlineData("sensor_id;sensor_type;P1\n1;SDS011;4", "no timestamp column")]
    [InlineData("{\"sensorId\":\"a\"}", "no sensor_id or timestamp column")]
    public void Missing_header_rejects_everything_once_with_record_zero(string csv, string mentions)
    {
        var result = Decode(csv);

        Assert.Empty(result.Readings);
        var rejection = result.SingleRecordRejection("missing CSV header");
        Assert.Contains(mentions, rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(0, rejection.Record);
        Assert.Equal(1, rejection.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\r\n")]
    [InlineData("\uFEFF")]
    public void Empty_body_is_one_rejection_with_record_zero(string csv)
    {
        var result = Decode(csv);

        Assert.Empty(result.Readings);
        Assert.Equal(0, result.SingleRecordRejection("empty body").Record);
        Assert.Equal(0, result.RecordCount);
    }

    [Fact]
    public void Header_alone_gives_nothing_and_no_rejection()
    {
        var result = Decode(SdsHeader + "\r\n");

        Assert.Empty(result.Readings);
        Assert.Empty(result.Rejections);
    }

    [Fact]
    public void Same_row_twice_gives_two_readings_because_idempotency_is_downstream()
    {
        var result = Decode($"{SdsHeader}\n{SdsRow}\n{SdsRow}\n");

        Assert.Equal(2, result.Readings.Count);
        SameReading(result.Readings[0], result.Readings[1]);
    }

    [Fact]
    public void Invalid_utf8_rejects_the_cell_it_is_in()
    {
        var body = Utf8($"{SdsHeader}\n36;SDS#;13208;51.044;13.746;2019-09-03T00:00:58;40.#;;;21.10;;\n");
        body[Array.IndexOf(body, (byte)'#')] = 0xFF;
        body[Array.LastIndexOf(body, (byte)'#')] = 0xC0;

        var result = _decoder.Decode(body).WellFormed();

        var reading = Assert.Single(result.Readings);
        Assert.Null(reading.SensorType);
        Assert.Equal(21.1, Value(reading, Quantity.Pm25));
        Assert.Equal(["pm10", "sensorType"], result.Rejections.Select(r => r.Quantity).Order());
    }

    [Fact]
    public void Binary_garbage_is_rejected_not_crashed_on()
    {
        var random = new Random(42);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);

        var result = _decoder.Decode(garbage).WellFormed();

        Assert.Empty(result.Readings);
        Assert.NotEmpty(result.Rejections);
    }

    [Fact]
    public void Large_archive_with_one_bad_row_decodes_every_good_row()
    {
        const int count = 100_000;
        var builder = new StringBuilder(SdsHeader).Append('\n');
        for (var i = 0; i < count; i++)
        {
            if (i == count / 2)
            {
                builder.Append("36;SDS011;13208;51.044\n");
            }

            builder.Append(i % 4000).Append(";SDS011;13208;51.044;13.746;2019-09-03T00:00:58;").Append(i % 1000).Append(".5;;;").Append(i % 500).Append(".25;;\n");
        }

        var result = Decode(builder.ToString());

        Assert.Equal(count, result.Readings.Count);
        Assert.Equal((count / 2) + 1, result.SingleRecordRejection("cells").Record);
    }
}
