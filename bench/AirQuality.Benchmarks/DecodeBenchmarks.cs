using System.Globalization;
using System.Text;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Validation;
using BenchmarkDotNet.Attributes;

namespace AirQuality.Benchmarks;

/// <summary>
/// Decoder throughput on one core: each invocation decodes one body of <see cref="Records"/> records
/// (BenchmarkDotNet reports per body; BENCHMARKS.md divides by the record count). Two body sizes, because the readings of a body are
/// all alive until it is decoded, and a 10,000-record body pushes them into older GC generations where
/// a 500-record body (the HTTP batch size) does not.
/// Targets: canonical JSON 3-value readings at least 1,000,000/s (at most 1,000 ns each);
/// Sensor.Community open-data records at least 300,000/s (at most 3,333 ns each).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class DecodeBenchmarks
{
    private const int MaxRecords = 10_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private byte[] _canonicalArray = [];
    private byte[] _canonicalNdjson = [];
    private byte[] _scRecords = [];
    private byte[] _scCsv = [];
    private CanonicalJsonDecoder _canonical = null!;
    private SensorCommunityRecordsDecoder _records = null!;
    private SensorCommunityCsvDecoder _csv = null!;

    [Params(500, MaxRecords)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var lines = new List<string>(Records);
        var records = new List<string>(Records);
        var csv = new StringBuilder("sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2\n");
        for (var i = 0; i < Records; i++)
        {
            var sensor = i % 2000;
            var time = Start.AddSeconds(i * 7);
            var pm25 = (random.NextDouble() * 80).ToString("0.##", CultureInfo.InvariantCulture);
            var pm10 = (random.NextDouble() * 120).ToString("0.##", CultureInfo.InvariantCulture);
            var temperature = (random.NextDouble() * 30 - 5).ToString("0.#", CultureInfo.InvariantCulture);
            lines.Add($$$"""{"sensorId":"sensor-{{{sensor}}}","timestamp":"{{{time:yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{pm25}}},"pm10":{{{pm10}}},"temperature":{{{temperature}}}}}""");
            records.Add($$$"""{"id":{{{4767756759L + i}}},"sampling_rate":null,"timestamp":"{{{time:yyyy-MM-dd HH:mm:ss}}}","location":{"id":{{{13208 + sensor}}},"latitude":"51.044","longitude":"13.746","altitude":"120.5","country":"DE","exact_location":0,"indoor":0},"sensor":{"id":{{{36 + sensor}}},"pin":"1","sensor_type":{"id":14,"name":"SDS011","manufacturer":"Nova Fitness"}},"sensordatavalues":[{"id":{{{10122094561L + 2 * i}}},"value":"{{{pm10}}}","value_type":"P1"},{"id":{{{10122094562L + 2 * i}}},"value":"{{{pm25}}}","value_type":"P2"}]}""");
            csv.Append(CultureInfo.InvariantCulture, $"{36 + sensor};SDS011;{13208 + sensor};51.044;13.746;{time:yyyy-MM-ddTHH:mm:ss};{pm10};;;{pm25};;\n");
        }

        _canonicalArray = Encoding.UTF8.GetBytes("[" + string.Join(",", lines) + "]");
        _canonicalNdjson = Encoding.UTF8.GetBytes(string.Join("\n", lines));
        _scRecords = Encoding.UTF8.GetBytes("[" + string.Join(",", records) + "]");
        _scCsv = Encoding.UTF8.GetBytes(csv.ToString());

        var validator = new ReadingValidator(null, new FixedClock(Start.AddDays(1)));
        _canonical = new CanonicalJsonDecoder(validator);
        _records = new SensorCommunityRecordsDecoder(validator);
        _csv = new SensorCommunityCsvDecoder(validator);

        // A benchmark of a decoder that rejects everything would measure nothing: check first.
        Require(_canonical.Decode(_canonicalArray), nameof(CanonicalArray));
        Require(_canonical.Decode(_canonicalNdjson), nameof(CanonicalNdjson));
        Require(_records.Decode(_scRecords), nameof(SensorCommunityRecords));
        Require(_csv.Decode(_scCsv), nameof(SensorCommunityCsv));
    }

    [Benchmark]
    public int CanonicalArray() => _canonical.Decode(_canonicalArray).Readings.Count;

    [Benchmark]
    public int CanonicalNdjson() => _canonical.Decode(_canonicalNdjson).Readings.Count;

    [Benchmark]
    public int SensorCommunityRecords() => _records.Decode(_scRecords).Readings.Count;

    [Benchmark]
    public int SensorCommunityCsv() => _csv.Decode(_scCsv).Readings.Count;

    private void Require(DecodeResult result, string name)
    {
        if (result.Readings.Count != Records || result.Rejections.Count != 0)
        {
            throw new InvalidOperationException(
                $"{name}: decoded {result.Readings.Count} of {Records}; first rejection: {result.Rejections.FirstOrDefault()}");
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
