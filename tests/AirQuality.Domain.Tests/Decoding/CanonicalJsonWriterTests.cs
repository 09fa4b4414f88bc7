using System.Text;
using System.Text.Json;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class CanonicalJsonWriterTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly CanonicalJsonDecoder _decoder = new(Validator);

    private static string Write(Reading reading)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CanonicalJsonWriter.Write(writer, reading);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static readonly Reading[] Samples =
    [
        new Reading("dd-001", Time, [new(Quantity.Pm25, 12.3), new(Quantity.Pm10, 20.1), new(Quantity.Temperature, 3.2)],
            new SensorLocation(51.04, 13.74, 120, "DE", false), "SDS011"),
        new Reading("sc-36", Time.AddTicks(1_234_567), [new(Quantity.Pm25, 0.1 + 0.2)]),
        new Reading("esp8266-15132406:1", Time.AddMilliseconds(-1), [new(Quantity.Pressure, 1013.25), new(Quantity.Parse("noise_LAeq"), 45.123456789012345)],
            new SensorLocation(-33.8688, 151.2093)),
        new Reading("a", Time, [new(Quantity.Humidity, 1e-7), new(Quantity.Temperature, -49.99999999999999)], new SensorLocation(0, 0, null, null, true)),
        new Reading("tz", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.FromHours(2)), [new(Quantity.No2, 40)]),
    ];

    public static TheoryData<Reading> Readings() => new(Samples);

    [Theory]
    [MemberData(nameof(Readings))]
    public void Decoding_what_was_written_gives_the_same_reading(Reading reading)
    {
        var json = Write(reading);

        var result = _decoder.Decode(Utf8(json)).WellFormed();

        Assert.Empty(result.Rejections);
        SameReading(reading, Assert.Single(result.Readings));
    }

    [Fact]
    public void Writes_exactly_the_canonical_shape()
    {
        var reading = new Reading("dd-001", Time, [new(Quantity.Pm25, 12.3), new(Quantity.Pm10, 20.1), new(Quantity.Temperature, 3.2)],
            new SensorLocation(51.04, 13.74, 120, "DE", false), "SDS011");

        Assert.Equal(
            """{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":12.3,"pm10":20.1,"temperature":3.2},"location":{"latitude":51.04,"longitude":13.74,"altitude":120,"country":"DE","indoor":false},"sensorType":"SDS011"}""",
            Write(reading));
    }

    [Fact]
    public void Omits_location_and_sensor_type_when_null_and_writes_utc_with_z()
    {
        var reading = new Reading("a", new DateTimeOffset(2026, 11, 23, 12, 0, 0, 500, TimeSpan.FromHours(2)), [new(Quantity.Pm10, 5)]);

        Assert.Equal("""{"sensorId":"a","timestamp":"2026-11-23T10:00:00.5Z","values":{"pm10":5}}""", Write(reading));
    }

    [Fact]
    public void Writes_a_batch_that_decodes_as_an_array()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var reading in Samples)
            {
                CanonicalJsonWriter.Write(writer, reading);
            }

            writer.WriteEndArray();
        }

        var result = _decoder.Decode(buffer.ToArray()).WellFormed();

        Assert.Equal(Samples.Length, result.Readings.Count);
        Assert.Empty(result.Rejections);
    }
}
