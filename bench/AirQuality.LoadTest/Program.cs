using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AirQuality.Contracts;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Grains;
using AirQuality.Grains.Alerts;
using AirQuality.Grains.Hosting;
using AirQuality.Storage.Local;
using AirQuality.Storage.Local.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage:
//   dotnet run -c Release --project bench/AirQuality.LoadTest -- engine --sensors 10000 --seconds 60 --per-call 2
//   dotnet run -c Release --project bench/AirQuality.LoadTest -- memory --sensors 10000 [--full]
//   dotnet run -c Release --project bench/AirQuality.LoadTest -- http --target http://127.0.0.1:5080 --sensors 10000 --seconds 60 --batch 500 --connections 8
//   dotnet run -c Release --project bench/AirQuality.LoadTest -- graphql seed|sensor|bbox|subscription --target http://127.0.0.1:5081 ... (GraphQLLoad.cs)
var mode = args.FirstOrDefault() ?? "engine";
var options = Options.Parse(args.Skip(1).ToArray());
Silo.MemoryStorage = args.Contains("--memory-storage");
Memory.Empty = args.Contains("--empty");
Silo.PollutantHistoryOnly = args.Contains("--pollutant-history");
Silo.NoAlerts = args.Contains("--no-alerts");
return mode switch
{
    "engine" => await Engine.RunAsync(options),
    "memory" => await Memory.RunAsync(options),
    "http" => await Http.RunAsync(options),
    "graphql" => await GraphQLLoad.RunAsync(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AirQuality.LoadTest engine|memory|http|graphql [--sensors N] [--seconds S] [--per-call K] [--full] [--target URL] [--batch B] [--connections C]");
    return 2;
}

internal sealed record Options(int Sensors, int Seconds, int PerCall, bool Full, string Target, int Batch, int Connections, int Concurrency)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(Int("--sensors", 10_000), Int("--seconds", 60), Int("--per-call", 2), args.Contains("--full"),
            Get("--target", "http://127.0.0.1:5080"), Int("--batch", 500), Int("--connections", 8), Int("--concurrency", 256));
    }
}

/// <summary>An in-process silo with the product's grains and SQLite storage on a temporary directory.</summary>
internal static class Silo
{
    /// <summary>Set by --memory-storage: Orleans' in-memory storage instead of SQLite, to separate the engine from the disk.</summary>
    public static bool MemoryStorage { get; set; }

    /// <summary>Set by --no-alerts: no alert rules, to see what evaluating them costs.</summary>
    public static bool NoAlerts { get; set; }

    /// <summary>Set by --pollutant-history: weather quantities keep their latest value only (Sensors:HistoryQuantities).</summary>
    public static bool PollutantHistoryOnly { get; set; }

    public static async Task<IHost> StartAsync(string dataDirectory)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<AlertOptions>().Configure(o =>
        {
            if (NoAlerts)
            {
                o.Rules = Environment.GetEnvironmentVariable("AIRQ_LOAD_KEEP_RULE") is { } keep ? o.Rules.Where(r => r.Id == keep).ToList() : [];
            }
        });
        builder.Services.AddOptions<SensorGrainOptions>().Configure(o =>
        {
            if (PollutantHistoryOnly)
            {
                o.HistoryQuantities = ["pm1", "pm25", "pm10", "o3", "no2", "so2", "co"];
            }
        });
        builder.UseOrleans(silo =>
        {
            var (siloPort, gatewayPort) = FreePorts();
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            if (MemoryStorage)
            {
                silo.AddMemoryGrainStorage(AirQualityStorage.Sensors);
                silo.AddMemoryGrainStorage(AirQualityStorage.Index);
            }
            else
            {
                silo.AddSqliteGrainStorage(AirQualityStorage.Sensors, o => o.DatabasePath = Path.Combine(dataDirectory, "grains.db"));
                silo.AddSqliteGrainStorage(AirQualityStorage.Index, o => o.DatabasePath = Path.Combine(dataDirectory, "index.db"));
            }

            silo.AddAirQualityGrains(); // as in the silo: options, the alert publisher and the alert clock
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Two free loopback ports, both held while the second is chosen so they cannot be the same one.</summary>
    private static (int First, int Second) FreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }
}

/// <summary>Readings handed to sensor grains in batches, HTTP excluded: K readings per grain call, many calls in flight.</summary>
internal static class Engine
{
    public static async Task<int> RunAsync(Options o)
    {
        var data = Directory.CreateTempSubdirectory("airq-load-").FullName;
        using var host = await Silo.StartAsync(data);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var ids = Enumerable.Range(0, o.Sensors).Select(i => $"load-{i}").ToArray();
        var start = DateTimeOffset.UtcNow.AddDays(-10);
        var minute = new long[o.Sensors]; // next simulated minute per sensor: every reading is new

        // Warm-up: activate every sensor once (not measured).
        var warm = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Sensors), new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency },
            async (i, _) => await grains.GetGrain<ISensorGrain>(ids[i]).Ingest(Batch(ids[i], start, ref minute[i], 1)));
        Console.WriteLine($"warm-up: {o.Sensors} sensors activated in {warm.Elapsed.TotalSeconds:F1} s");

        var total = 0L;
        var perSecond = new List<long>();
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(o.Seconds);
        var lastTick = 0L;
        var next = -1;
        var latencyLock = new object();
        var tasks = Enumerable.Range(0, o.Concurrency).Select(async _ =>
        {
            while (clock.Elapsed < deadline)
            {
                var i = (int)((uint)Interlocked.Increment(ref next) % (uint)o.Sensors);
                var batch = Batch(ids[i], start, ref minute[i], o.PerCall);
                var t = Stopwatch.GetTimestamp();
                await grains.GetGrain<ISensorGrain>(ids[i]).Ingest(batch);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                Interlocked.Add(ref total, batch.Length);
                if (Random.Shared.Next(64) == 0)
                {
                    lock (latencyLock)
                    {
                        latencies.Add(ms);
                    }
                }
            }
        }).ToList();

        // Sampled on a thread of its own: a thread-pool timer would stretch under load and distort the rates.
        var sampler = new Thread(() =>
        {
            var lastTime = clock.Elapsed;
            while (clock.Elapsed < deadline)
            {
                Thread.Sleep(1000);
                var nowTime = clock.Elapsed;
                var now = Interlocked.Read(ref total);
                lock (perSecond)
                {
                    perSecond.Add((long)((now - lastTick) / (nowTime - lastTime).TotalSeconds));
                }

                lastTick = now;
                lastTime = nowTime;
            }
        })
        { IsBackground = true };
        sampler.Start();
        await Task.WhenAll(tasks);
        sampler.Join();

        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        Console.WriteLine($"engine: {o.Sensors} sensors, {o.PerCall} readings per grain call, {o.Concurrency} calls in flight, {seconds:F1} s");
        Console.WriteLine($"  readings: {total:N0} total, {total / seconds:N0}/s mean; 1-second rates: min {perSecond.DefaultIfEmpty(0).Min():N0}, median {perSecond.Order().ElementAtOrDefault(perSecond.Count / 2):N0}, max {perSecond.DefaultIfEmpty(0).Max():N0}");
        Console.WriteLine($"  call latency (1 in 64 sampled): p50 {Pct(latencies, 0.5):F2} ms, p99 {Pct(latencies, 0.99):F2} ms, p99.9 {Pct(latencies, 0.999):F2} ms");
        Console.WriteLine($"  per second: {string.Join(' ', perSecond.Select(n => (n / 1000).ToString(CultureInfo.InvariantCulture) + "k"))}");
        await host.StopAsync();
        return 0;
    }

    public static Reading[] Batch(string id, DateTimeOffset start, ref long minute, int count)
    {
        var batch = new Reading[count];
        for (var k = 0; k < count; k++)
        {
            var t = start.AddMinutes(minute++);
            batch[k] = new Reading(id, t, [new Measurement(Quantity.Pm25, 5 + (minute % 40)), new Measurement(Quantity.Pm10, 9 + (minute % 60))]);
        }

        return batch;
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, p * sorted.Count)];
}

/// <summary>Bytes per active sensor grain holding PM2.5 and PM10 history plus the latest of other quantities.</summary>
internal static class Memory
{
    public static async Task<int> RunAsync(Options o)
    {
        var data = Directory.CreateTempSubdirectory("airq-mem-").FullName;
        using var host = await Silo.StartAsync(data);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        // One sensor first, so the runtime's own one-off allocations are not charged to the sensors.
        await Fill(grains, "mem-warm", o.Full);
        var before = Settle();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, o.Sensors), new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency },
            async (i, _) => await Fill(grains, $"mem-{i}", o.Full));
        var after = Settle();
        var perSensor = (after - before) / (double)o.Sensors;
        // Then the same once every sensor's write-behind has run (default 5 s + up to 2.5 s): the steady
        // state of a sensor between readings, with no timer and no pending write.
        await Task.Delay(TimeSpan.FromSeconds(9));
        var settled = Settle();
        Console.WriteLine($"  after write-behind settled: {(settled - before) / (double)o.Sensors:N0} bytes per sensor");
        Console.WriteLine($"memory: {o.Sensors} sensors ({(o.Full ? "full 92 days of hourly PM2.5 and PM10" : "PM2.5 and PM10 reaching 91 days back")}, filled in {clock.Elapsed.TotalSeconds:F0} s)");
        Console.WriteLine($"  managed heap: {before / 1048576.0:F0} MiB -> {after / 1048576.0:F0} MiB: {perSensor:N0} bytes per sensor");
        Console.WriteLine($"  process working set: {Environment.WorkingSet / 1048576.0:F0} MiB");
        await host.StopAsync();
        return 0;
    }

    /// <summary>Set by --empty: activate sensors without data, to see the runtime's own cost per activation.</summary>
    public static bool Empty { get; set; }

    private static async Task Fill(IGrainFactory grains, string id, bool full)
    {
        if (Empty)
        {
            await grains.GetGrain<ISensorGrain>(id).GetView();
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var grain = grains.GetGrain<ISensorGrain>(id);
        var hours = full ? Enumerable.Range(0, 92 * 24).Select(h => now.AddHours(-92 * 24 + h)) : [now.AddDays(-91), now.AddHours(-1)];
        foreach (var chunk in hours.Chunk(256))
        {
            await grain.Ingest(chunk.Select(t => new Reading(id, t, [new Measurement(Quantity.Pm25, 12.5), new Measurement(Quantity.Pm10, 20.5)])).ToArray());
        }

        await grain.Ingest([new Reading(id, now, [new Measurement(Quantity.Temperature, 4.5), new Measurement(Quantity.Humidity, 80), new Measurement(Quantity.Pressure, 1013)])]);
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Canonical NDJSON batches posted to a running host from this separate process.</summary>
internal static class Http
{
    public static async Task<int> RunAsync(Options o)
    {
        using var client = new HttpClient { BaseAddress = new Uri(o.Target), Timeout = TimeSpan.FromSeconds(30) };
        var start = DateTimeOffset.UtcNow.AddHours(-30);
        var minute = new long[o.Sensors];
        var next = -1;
        long accepted = 0, failed = 0;
        var latencies = new List<double>();
        var gate = new object();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(o.Seconds);
        var tasks = Enumerable.Range(0, o.Connections).Select(async _ =>
        {
            var buffer = new MemoryStream();
            while (clock.Elapsed < deadline)
            {
                buffer.SetLength(0);
                using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
                {
                    for (var k = 0; k < o.Batch; k++)
                    {
                        var i = (int)((uint)Interlocked.Increment(ref next) % (uint)o.Sensors);
                        var id = $"http-{i}";
                        var reading = Engine.Batch(id, start, ref minute[i], 1)[0];
                        CanonicalJsonWriter.Write(writer, reading);
                        writer.Flush();
                        writer.Reset();
                        buffer.WriteByte((byte)'\n');
                    }
                }

                var content = new ByteArrayContent(buffer.ToArray());
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
                var t = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/v1/readings", content);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref accepted, o.Batch);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }

                lock (gate)
                {
                    latencies.Add(ms);
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        Console.WriteLine($"http: {o.Sensors} sensors, batches of {o.Batch}, {o.Connections} connections, {seconds:F1} s");
        Console.WriteLine($"  readings accepted: {accepted:N0}, {accepted / seconds:N0}/s; failed requests: {failed}");
        Console.WriteLine($"  request latency: p50 {latencies[latencies.Count / 2]:F1} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F1} ms ({latencies.Count} requests)");
        return failed == 0 ? 0 : 1;
    }
}
