using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

/// <summary>
/// Seeded mutations of valid inputs (byte flips, cuts, inserted and deleted bytes): a decoder must
/// never throw, and whatever it accepts must still be a valid reading. Deterministic: a failure
/// reproduces with the same seed.
/// </summary>
public class MutationFuzzTests
{
    private const int Mutations = 2000;

    private static readonly byte[] Canonical = Utf8("""
        [{"sensorId":"s1","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":12.3,"pm10":20.1,"temperature":3.2},
          "location":{"latitude":51.04,"longitude":13.74,"altitude":120,"country":"DE","indoor":false},"sensorType":"SDS011"},
         {"sensorId":"s2","timestamp":"2026-11-23T10:01:00+01:00","values":{"pm25":1,"no2":40}}]
        """);

    private static readonly byte[] Records = Utf8("""
        [{"id":4767756759,"sampling_rate":null,"timestamp":"2019-09-03 20:13:54",
          "location":{"id":13208,"latitude":"51.044","longitude":"13.746","altitude":"","country":"DE","exact_location":0,"indoor":1},
          "sensor":{"id":36,"pin":"1","sensor_type":{"id":14,"name":"SDS011","manufacturer":"Nova Fitness"}},
          "sensordatavalues":[{"id":10122094561,"value":"40.80","value_type":"P1"},{"id":10122094562,"value":"21.10","value_type":"P2"}]}]
        """);

    private static readonly byte[] Push = Utf8("""
        {"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"SDS_P1","value":"66.04"},{"value_type":"SDS_P2","value":53.32}]}
        """);

    private static readonly byte[] Csv = Utf8(
        "sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2\n" +
        "36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;\n" +
        "37;SDS011;13209;51.1;13.8;2019-09-03 00:03:24;38.5;;;20;;\n");

    public static TheoryData<string> Formats() => ["canonical", "records", "push", "csv"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_inputs_never_throw_and_accepted_readings_stay_valid(string format)
    {
        var (sample, decode) = format switch
        {
            "canonical" => (Canonical, (Func<byte[], DecodeResult>)(b => new CanonicalJsonDecoder(Validator).Decode(b))),
            "records" => (Records, b => new SensorCommunityRecordsDecoder(Validator).Decode(b)),
            "push" => (Push, b => new SensorCommunityPushDecoder(Validator, Clock).Decode("esp8266-1", "1", b)),
            _ => (Csv, (Func<byte[], DecodeResult>)(b => new SensorCommunityCsvDecoder(Validator).Decode(b))),
        };
        Assert.NotEmpty(decode(sample).Readings); // the unmutated sample is good

        var random = new Random(format.Length * 7919);
        for (var i = 0; i < Mutations; i++)
        {
            var mutated = Mutate(sample, random);
            DecodeResult result;
            try
            {
                result = decode(mutated);
            }
            catch (Exception e)
            {
                Assert.Fail($"{format} mutation {i} threw {e.GetType().Name}: {e.Message}\ninput: {Convert.ToBase64String(mutated)}");
                throw;
            }

            foreach (var reading in result.Readings)
            {
                Assert.Null(SensorId.Problem(reading.SensorId));
                Assert.NotEmpty(reading.Values);
                Assert.Null(Validator.CheckTimestamp(reading.Timestamp));
                Assert.Equal(TimeSpan.Zero, reading.Timestamp.Offset);
                Assert.Null(reading.Location?.Problem);
                foreach (var value in reading.Values)
                {
                    Assert.Null(Validator.CheckValue(value.Quantity, value.Value));
                }
            }

            Assert.All(result.Rejections, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        }
    }

    private static byte[] Mutate(byte[] sample, Random random)
    {
        var bytes = new List<byte>(sample);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                case 2: bytes.Insert(at, "{}[]\",:0-e.\\\n;"u8[random.Next(14)]); break;
                default: bytes.RemoveAt(at); break;
            }
        }

        return [.. bytes];
    }
}
