using AirQuality.Domain.Aqi;
using BenchmarkDotNet.Attributes;

namespace AirQuality.Benchmarks;

/// <summary>
/// Cost of one sub-index. Each invocation computes <see cref="Calls"/> sub-indices over varied
/// concentrations (so branch prediction cannot learn one value); BenchmarkDotNet reports per call.
/// Target: under 50 ns and zero bytes allocated per call.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AqiBenchmarks
{
    private const int Calls = 1024;
    private readonly double[] _pm = new double[Calls];
    private readonly double[] _hourly = new double[12];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        for (var i = 0; i < Calls; i++)
        {
            _pm[i] = random.NextDouble() * 300;
        }

        for (var i = 0; i < _hourly.Length; i++)
        {
            _hourly[i] = 10 + random.NextDouble() * 40;
        }
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int UsEpa2024_Pm25()
    {
        var sum = 0;
        foreach (var c in _pm)
        {
            sum += AqiStandard.UsEpa2024.Calculate(Pollutant.Pm25, c, Averaging.TwentyFourHours).Index;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int UkDaqi_Pm25()
    {
        var sum = 0;
        foreach (var c in _pm)
        {
            sum += AqiStandard.UkDaqi.Calculate(Pollutant.Pm25, c, Averaging.TwentyFourHours).Index;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int EuEaqi2024_Pm10()
    {
        var sum = 0;
        foreach (var c in _pm)
        {
            sum += AqiStandard.EuEaqi2024.Calculate(Pollutant.Pm10, c, Averaging.OneHour).Index;
        }

        return sum;
    }

    [Benchmark]
    public int NowCast_Pm25() => NowCast.UsAqi(Pollutant.Pm25, _hourly, out _).Index;
}
