using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

/// <summary>
/// The GraphQL gateway under load, from this separate process against a running host (issue 4):
///   seed:         N sensors with locations through the HTTP ingest (80 % in 40 city boxes, the rest scattered),
///                 each with three hours of PM2.5 and PM10 (every 15 minutes: the US NowCast needs 3 of 4 quarter-hours);
///   sensor:       sensor(id) { latest aqi(US_EPA_2024) } for random ids, open loop at a fixed rate;
///   bbox:         sensors(bbox: a city, first: 500), open loop at a fixed rate;
///   subscription: sensorUpdated over graphql-transport-ws, from the ingest's 200 to the "next" message.
/// Open loop: requests leave on a schedule that does not wait for answers, and each latency is counted from
/// the time its request was due, so a server that falls behind shows its queueing (no coordinated omission).
/// </summary>
internal static class GraphQLLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 1 ? args[1] : "";
        var o = GraphQLOptions.Parse(args.Skip(2).ToArray());
        using var client = OpenLoop.CreateClient(o.Target);
        Console.WriteLine($"graphql {verb}: target {o.Target}, load average at start {LoadAverage()}");
        var code = verb switch
        {
            "seed" => await SeedAsync(client, o),
            "sensor" => await OpenLoop.RunAsync(client, o, o.Rate > 0 ? o.Rate : 2000, SensorQuery(o), CheckSensor),
            "bbox" => await OpenLoop.RunAsync(client, o, o.Rate > 0 ? o.Rate : 100, BboxQuery(o), CheckBbox),
            "subscription" => await Subscriptions.RunAsync(client, o),
            _ => Usage(),
        };
        Console.WriteLine($"  load average at end {LoadAverage()}");
        return code;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: AirQuality.LoadTest graphql seed|sensor|bbox|subscription [options]
              --target URL        the host (default http://127.0.0.1:5081)
              --sensors N         sensors seeded / queried (default 10000); subscription uses sensors of its own
              --rate R            requests per second, open loop (default 2000 for sensor, 100 for bbox)
              --seconds S         measured seconds (default 60), after --warmup W seconds (default 15)
              --fields F          bbox selection: index (index fields only), map (+ aqi, default), dashboard
                                  (the dashboard's own list query) or full (+ latest values)
              --events E          subscription events (default 200), over --subscribers K sockets (default 10)
              --host-pid PID      also report the host's CPU time per request (from /proc)
              --seed-value X      deterministic sensor choice (default 42)
              --max-in-flight M   requests due while M are unanswered are not sent, counted as errors (default 2000)
            """);
        return 2;
    }

    private const string SensorDocument =
        "query($id: ID!) { sensor(id: $id) { id latest { quantity value timestamp } aqi(standard: US_EPA_2024) { index } } }";

    /// <summary>
    /// The selection of a page: "index" only fields the sensor index holds; "map" what a map colours its markers
    /// with (the AQI); "dashboard" what the project's dashboard asks (Sensors in dashboard/src/queries.ts: edge
    /// cursors and the dominant pollutant too); "full" each sensor's latest values as well.
    /// </summary>
    private static string BboxDocument(string fields)
    {
        var node = fields switch
        {
            "index" => "id status lastSeen location { latitude longitude }",
            "map" => "id status location { latitude longitude } aqi(standard: US_EPA_2024) { index category color }",
            "dashboard" => "id status lastSeen location { latitude longitude country } aqi(standard: US_EPA_2024) { index category color dominantPollutant }",
            _ => "id status lastSeen location { latitude longitude } aqi(standard: US_EPA_2024) { index category color } latest { quantity value timestamp }",
        };
        var cursor = fields == "dashboard" ? "cursor " : "";
        return "query($bbox: [Float!]) { sensors(bbox: $bbox, first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { " + cursor + "node { " + node + " } } } }";
    }

    /// <summary>Request bodies for random sensor ids, one pre-encoded body per sensor.</summary>
    private static Func<Random, byte[]> SensorQuery(GraphQLOptions o)
    {
        var bodies = Enumerable.Range(0, o.Sensors)
            .Select(i => JsonSerializer.SerializeToUtf8Bytes(new { query = SensorDocument, variables = new { id = Layout.Id(i) } }))
            .ToArray();
        return random => bodies[random.Next(bodies.Length)];
    }

    /// <summary>Request bodies for the city boxes, one chosen at random per request.</summary>
    private static Func<Random, byte[]> BboxQuery(GraphQLOptions o)
    {
        var document = BboxDocument(o.Fields);
        var bodies = Layout.Cities.Select(c => JsonSerializer.SerializeToUtf8Bytes(new { query = document, variables = new { bbox = c.Box } })).ToArray();
        return random => bodies[random.Next(bodies.Length)];
    }

    // A response counts as an error unless it is a 200 with data and no errors (the sensor must exist).
    private static bool CheckSensor(ReadOnlySpan<byte> body) =>
        body.IndexOf("\"errors\""u8) < 0 && body.IndexOf("\"index\""u8) >= 0;

    private static bool CheckBbox(ReadOnlySpan<byte> body) =>
        body.IndexOf("\"errors\""u8) < 0 && body.IndexOf("\"totalCount\""u8) >= 0;

    /// <summary>Three hours of readings per sensor (PM2.5 and PM10 every 15 minutes up to now), with its location.</summary>
    private static async Task<int> SeedAsync(HttpClient client, GraphQLOptions o)
    {
        var clock = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var stamp = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        const int PerSensor = 13;
        const int SensorsPerBody = 500 / PerSensor;
        long accepted = 0, failed = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, (o.Sensors + SensorsPerBody - 1) / SensorsPerBody),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (chunk, cancellationToken) =>
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    for (var i = chunk * SensorsPerBody; i < Math.Min(o.Sensors, (chunk + 1) * SensorsPerBody); i++)
                    {
                        var (lat, lon) = Layout.Position(i);
                        for (var k = PerSensor; k >= 1; k--)
                        {
                            var pm25 = 4 + ((i * 7 + k * 3) % 50);
                            var reading = new Reading(Layout.Id(i), stamp.AddMinutes(-15 * (k - 1)),
                                [new Measurement(Quantity.Pm25, pm25), new Measurement(Quantity.Pm10, pm25 * 1.6)],
                                new SensorLocation(lat, lon, Country: Layout.CountryOf(i)));
                            CanonicalJsonWriter.Write(writer, reading);
                            writer.Flush();
                            writer.Reset();
                            buffer.WriteByte((byte)'\n');
                        }
                    }
                }

                using var content = new ByteArrayContent(buffer.ToArray());
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
                using var response = await client.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            });
        Console.WriteLine($"  seeded {o.Sensors:N0} sensors ({o.Sensors * PerSensor:N0} readings) in {clock.Elapsed.TotalSeconds:F1} s: {accepted} bodies accepted, {failed} failed");

        // Let the index catch up (it is written on each sensor's first located reading), then show one city.
        var bbox = Layout.Cities[0].Box;
        var check = JsonSerializer.SerializeToUtf8Bytes(new { query = "query($bbox: [Float!]) { sensors(bbox: $bbox, first: 1) { totalCount } }", variables = new { bbox } });
        using var body = new ByteArrayContent(check);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var answer = await client.PostAsync(new Uri("/graphql", UriKind.Relative), body);
        Console.WriteLine($"  {Layout.Cities[0].Name} bbox [{string.Join(", ", bbox.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]: {await answer.Content.ReadAsStringAsync()}");
        return failed == 0 ? 0 : 1;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

internal sealed record GraphQLOptions(
    string Target, int Sensors, int Rate, int Seconds, int Warmup, string Fields, int Events, int Subscribers, int? HostPid, int Seed, int MaxInFlight)
{
    public static GraphQLOptions Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        var fields = Get("--fields") ?? "map";
        return new GraphQLOptions(
            Get("--target") ?? "http://127.0.0.1:5081",
            Int("--sensors", 10_000),
            Int("--rate", 0),
            Int("--seconds", 60),
            Int("--warmup", 15),
            fields is "index" or "map" or "dashboard" or "full" ? fields : throw new ArgumentException("--fields is index, map, dashboard or full"),
            Int("--events", 200),
            Int("--subscribers", 10),
            Get("--host-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            Int("--seed-value", 42),
            Int("--max-in-flight", 2000));
    }
}

/// <summary>
/// Where the seeded sensors stand: sensor i is in city i % 50 when that is below 40 (80 % of them, spread
/// evenly over the city's box), else scattered over the inhabited latitudes. So with 100,000 sensors a
/// city box holds 2,000 of them, with 10,000 it holds 200. Deterministic: a re-run seeds the same places.
/// </summary>
internal static class Layout
{
    public sealed record City(string Name, string Country, double Lat, double Lon)
    {
        // About 45 x 40 km, the size of a large city's boundary box.
        public const double HalfLat = 0.18;
        public const double HalfLon = 0.33;

        public double[] Box => [Math.Round(Lon - HalfLon, 3), Math.Round(Lat - HalfLat, 3), Math.Round(Lon + HalfLon, 3), Math.Round(Lat + HalfLat, 3)];
    }

    public static readonly City[] Cities =
    [
        new("Berlin", "DE", 52.52, 13.405), new("Paris", "FR", 48.857, 2.352), new("London", "GB", 51.507, -0.128),
        new("Madrid", "ES", 40.417, -3.704), new("Rome", "IT", 41.903, 12.496), new("Warsaw", "PL", 52.23, 21.012),
        new("Vienna", "AT", 48.208, 16.373), new("Prague", "CZ", 50.075, 14.438), new("Amsterdam", "NL", 52.368, 4.904),
        new("Brussels", "BE", 50.85, 4.352), new("Stockholm", "SE", 59.329, 18.069), new("Oslo", "NO", 59.914, 10.752),
        new("Helsinki", "FI", 60.17, 24.938), new("Copenhagen", "DK", 55.676, 12.568), new("Lisbon", "PT", 38.722, -9.139),
        new("Athens", "GR", 37.984, 23.728), new("Budapest", "HU", 47.498, 19.04), new("Bucharest", "RO", 44.427, 26.103),
        new("Sofia", "BG", 42.698, 23.322), new("Zurich", "CH", 47.377, 8.541), new("Munich", "DE", 48.137, 11.575),
        new("Hamburg", "DE", 53.551, 9.994), new("Milan", "IT", 45.464, 9.19), new("Barcelona", "ES", 41.385, 2.173),
        new("Lyon", "FR", 45.764, 4.836), new("Dublin", "IE", 53.35, -6.26), new("Kyiv", "UA", 50.45, 30.524),
        new("Istanbul", "TR", 41.008, 28.978), new("New York", "US", 40.713, -74.006), new("Los Angeles", "US", 34.052, -118.244),
        new("Chicago", "US", 41.878, -87.63), new("Toronto", "CA", 43.653, -79.383), new("Mexico City", "MX", 19.433, -99.133),
        new("Sao Paulo", "BR", -23.551, -46.633), new("Delhi", "IN", 28.704, 77.102), new("Beijing", "CN", 39.904, 116.407),
        new("Tokyo", "JP", 35.676, 139.65), new("Seoul", "KR", 37.567, 126.978), new("Sydney", "AU", -33.869, 151.209),
        new("Johannesburg", "ZA", -26.204, 28.047),
    ];

    public static string Id(int i) => $"gql-{i}";

    public static string? CountryOf(int i) => i % 50 < Cities.Length ? Cities[i % 50].Country : null;

    public static (double Lat, double Lon) Position(int i)
    {
        // A hash of i, not a shared Random: the same sensor gets the same place whatever the order.
        var h = ((ulong)i + 1) * 0x9E3779B97F4A7C15UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        h ^= h >> 31;
        double U(int shift) => ((h >> shift) & 0xFFFFF) / (double)0x100000;
        if (i % 50 < Cities.Length)
        {
            var city = Cities[i % 50];
            return (city.Lat + ((U(0) * 2) - 1) * City.HalfLat, city.Lon + ((U(20) * 2) - 1) * City.HalfLon);
        }

        return (-45 + U(0) * 105, -170 + U(20) * 340);
    }
}

/// <summary>The open-loop driver: a dedicated thread releases requests on schedule; thread-pool work sends them.</summary>
internal static class OpenLoop
{
    public static HttpClient CreateClient(string target) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = int.MaxValue, // open loop: a slow server gets more connections, not fewer requests
    })
    {
        BaseAddress = new Uri(target),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<int> RunAsync(HttpClient client, GraphQLOptions o, int rate, Func<Random, byte[]> bodies, SpanCheck check)
    {
        var warm = (long)rate * o.Warmup;
        var total = warm + ((long)rate * o.Seconds);
        var random = new Random(o.Seed);
        var due = new long[total];      // when each request was due (Stopwatch ticks)
        var sent = new long[total];     // when it actually left
        var done = new long[total];     // when its whole answer was read; 0: none
        var outcome = new byte[total];  // 0 pending, 1 ok, 2 HTTP error, 3 GraphQL error or bad data, 4 exception, 5 not sent
        var bodyOf = new byte[total][];
        for (var k = 0; k < total; k++)
        {
            bodyOf[k] = bodies(random);
        }

        var interval = Stopwatch.Frequency / (double)rate;
        var inFlight = 0L;
        var maxInFlight = 0L;
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = total;

        async Task SendAsync(long k)
        {
            sent[k] = Stopwatch.GetTimestamp();
            var now = Interlocked.Increment(ref inFlight);
            if (now > Interlocked.Read(ref maxInFlight))
            {
                Interlocked.Exchange(ref maxInFlight, now);
            }

            try
            {
                if (now > o.MaxInFlight)
                {
                    // A server this far behind is failing the test anyway; more sockets would only exhaust
                    // this process's file descriptors. Counted as an error, and the schedule goes on.
                    done[k] = sent[k];
                    outcome[k] = 5;
                    return;
                }

                using var content = new ByteArrayContent(bodyOf[k]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri("/graphql", UriKind.Relative), content);
                var body = await response.Content.ReadAsByteArrayAsync();
                done[k] = Stopwatch.GetTimestamp();
                outcome[k] = !response.IsSuccessStatusCode ? (byte)2 : check(body) ? (byte)1 : (byte)3;
                if (outcome[k] == 3 && Interlocked.Increment(ref _shown) <= 3)
                {
                    Console.WriteLine($"  error answer: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(400, body.Length)))}");
                }
            }
#pragma warning disable CA1031 // A failed request is counted, whatever failed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done[k] = Stopwatch.GetTimestamp();
                outcome[k] = 4;
                if (Interlocked.Increment(ref _shown) <= 3)
                {
                    Console.WriteLine($"  request failed: {e.GetType().Name}: {e.Message}");
                }
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    finished.TrySetResult();
                }
            }
        }

        Func<long, Task> send = SendAsync;

        // The host's CPU while nothing is asked of it (write-behind, timers), to subtract from the window's.
        var idleSeconds = o.HostPid is null ? 0 : 5;
        var idleStart = CpuTimes.Read(o.HostPid);
        Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
        var idle = CpuTimes.Read(o.HostPid) - idleStart;
        var cpuBefore = default(CpuTimes);
        var started = Stopwatch.GetTimestamp();
        var scheduler = new Thread(() =>
        {
            // Release every request whose time has come, then sleep about a millisecond: a request leaves at
            // most ~1 ms late (reported as "send lag"), and the lag counts in its latency.
            long k = 0;
            while (k < total)
            {
                var elapsed = Stopwatch.GetTimestamp() - started;
                while (k < total && k * interval <= elapsed)
                {
                    if (k == warm)
                    {
                        cpuBefore = CpuTimes.Read(o.HostPid);
                    }

                    due[k] = started + (long)(k * interval);
                    var index = k;
                    ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Item1(s.Item2), (send, index), preferLocal: false);
                    k++;
                }

                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "open-loop scheduler" };
        scheduler.Start();
        scheduler.Join();
        var releasedAt = Stopwatch.GetTimestamp();
        var cpuAfter = CpuTimes.Read(o.HostPid);
        var drained = await Task.WhenAny(finished.Task, Task.Delay(TimeSpan.FromSeconds(35))) == finished.Task;

        // The measured window: requests due after the warm-up.
        var window = Enumerable.Range((int)warm, (int)(total - warm)).ToArray();
        var latencies = window.Where(k => outcome[k] == 1).Select(k => Ms(done[k] - due[k])).Order().ToArray();
        var serviceTimes = window.Where(k => outcome[k] == 1).Select(k => Ms(done[k] - sent[k])).Order().ToArray();
        var lags = window.Select(k => Ms(sent[k] - due[k])).Order().ToArray();
        var windowStart = due[warm];
        var windowSeconds = (releasedAt - windowStart) / (double)Stopwatch.Frequency;
        var lastDone = window.Select(k => done[k]).DefaultIfEmpty(windowStart).Max();
        var completedSeconds = (lastDone - windowStart) / (double)Stopwatch.Frequency;
        var errors = window.Count(k => outcome[k] != 1);
        Console.WriteLine($"  open loop: {rate:N0} requests/s scheduled, {o.Warmup} s warm-up then {o.Seconds} s measured ({window.Length:N0} requests){(drained ? "" : "; NOT all answered within 35 s")}");
        Console.WriteLine($"  sent {window.Length / windowSeconds:N0}/s, answered OK {latencies.Length / completedSeconds:N0}/s; errors {errors} (HTTP {window.Count(k => outcome[k] == 2)}, GraphQL/data {window.Count(k => outcome[k] == 3)}, failed {window.Count(k => outcome[k] == 4)}, not sent (over {o.MaxInFlight} in flight) {window.Count(k => outcome[k] == 5)}, unanswered {window.Count(k => outcome[k] == 0)}); most in flight (warm-up included) {Interlocked.Read(ref maxInFlight)}");
        Console.WriteLine($"  latency from due time: {Percentiles(latencies)}");
        Console.WriteLine($"  service time (from send): {Percentiles(serviceTimes)}");
        Console.WriteLine($"  send lag (due to sent): p50 {Pct(lags, 0.5):F2} ms, p99 {Pct(lags, 0.99):F2} ms, max {lags.LastOrDefault():F2} ms");
        Console.WriteLine($"  p99 per 10 s of the window: {string.Join(' ', PerSlice(window, due, done, outcome, windowStart))}");
        var cpu = cpuAfter - cpuBefore;
        var hostWork = cpu.Host - (idleSeconds == 0 ? TimeSpan.Zero : idle.Host * (windowSeconds / idleSeconds));
        Console.WriteLine($"  CPU during the window: load tool {cpu.Self.TotalSeconds:F1} s{(o.HostPid is null ? "" : $", host {cpu.Host.TotalSeconds:F1} s (idle {idle.Host.TotalMilliseconds / idleSeconds:F0} ms/s before) = {hostWork.TotalMilliseconds * 1000 / window.Length:F0} µs per request above idle")} ({windowSeconds:F1} s x {Environment.ProcessorCount} cores available)");
        return errors == 0 && drained ? 0 : 1;
    }

    public delegate bool SpanCheck(ReadOnlySpan<byte> body);

    private static int _shown;

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];

    public static string Percentiles(double[] sorted) =>
        $"p50 {Pct(sorted, 0.5):F2} ms, p90 {Pct(sorted, 0.9):F2} ms, p99 {Pct(sorted, 0.99):F2} ms, p99.9 {Pct(sorted, 0.999):F2} ms, max {sorted.LastOrDefault():F2} ms ({sorted.Length:N0})";

    private static IEnumerable<string> PerSlice(int[] window, long[] due, long[] done, byte[] outcome, long windowStart)
    {
        var slice = Stopwatch.Frequency * 10;
        return window.Where(k => outcome[k] == 1)
            .GroupBy(k => (due[k] - windowStart) / slice)
            .OrderBy(g => g.Key)
            .Select(g => Pct(g.Select(k => Ms(done[k] - due[k])).Order().ToArray(), 0.99).ToString("F1", CultureInfo.InvariantCulture));
    }

    /// <summary>CPU time of this process and (when its id is given) the host's, from /proc on Linux.</summary>
    private readonly record struct CpuTimes(TimeSpan Self, TimeSpan Host)
    {
        public static CpuTimes Read(int? hostPid)
        {
            var self = Process.GetCurrentProcess().TotalProcessorTime;
            if (hostPid is not { } pid)
            {
                return new CpuTimes(self, TimeSpan.Zero);
            }

            try
            {
                // Fields 14 and 15 (utime, stime) in clock ticks of 1/100 s; the name field may hold spaces.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                return new CpuTimes(self, TimeSpan.FromMilliseconds(ticks * 10));
            }
            catch (IOException)
            {
                return new CpuTimes(self, TimeSpan.Zero);
            }
        }

        public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Self - b.Self, a.Host - b.Host);
    }
}

/// <summary>
/// sensorUpdated latency: K sockets each subscribe to one sensor; one at a time, a reading for one of those
/// sensors is posted, and the time from the ingest's 200 to the socket's "next" is recorded.
/// </summary>
internal static class Subscriptions
{
    private const string Document = "subscription($id: ID!) { sensorUpdated(id: $id) { id lastSeen latest { quantity value timestamp } aqi(standard: US_EPA_2024) { index } } }";

    public static async Task<int> RunAsync(HttpClient client, GraphQLOptions o)
    {
        var sockets = new List<Subscriber>();
        try
        {
            // Sensors of this run only: a sensor keeps one value per minute, so each event needs a minute of its
            // own, and a run must not meet the minutes of an earlier one.
            var run = Guid.NewGuid().ToString("N")[..6];
            for (var s = 0; s < o.Subscribers; s++)
            {
                var id = $"gql-sub-{run}-{s}";
                sockets.Add(await Subscriber.ConnectAsync(o.Target, id));
            }

            // Subscriptions are live once the server has handled "subscribe"; a ping round trip proves that.
            foreach (var socket in sockets)
            {
                await socket.RoundTripAsync();
            }

            var fromAccepted = new List<double>();
            var fromPost = new List<double>();
            var early = 0;
            var missed = 0;
            var total = o.Events + 10;
            var perSocket = (total + sockets.Count - 1) / sockets.Count;
            var now = DateTimeOffset.UtcNow;
            var firstMinute = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(-perSocket);
            for (var e = 0; e < total; e++)
            {
                var socket = sockets[e % sockets.Count];
                var next = socket.ExpectNext();

                // Each socket's sensor gets one reading a minute, oldest first, up to now: every one is new.
                var reading = new Reading(socket.SensorId, firstMinute.AddMinutes(e / sockets.Count), [new Measurement(Quantity.Pm25, 10 + (e % 30))]);
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    CanonicalJsonWriter.Write(writer, reading);
                }

                using var content = new ByteArrayContent(buffer.ToArray());
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                var posted = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), content);
                var accepted = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    Console.WriteLine($"  ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }

                if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(5))) != next)
                {
                    Console.WriteLine($"  event {e} for {socket.SensorId}: no \"next\" within 5 s");
                    missed++;
                    continue;
                }

                var arrived = await next;
                if (e < 10)
                {
                    continue; // warm-up: the first events pay for JIT and the first views
                }

                early += arrived < accepted ? 1 : 0;
                fromAccepted.Add(Math.Max(0, OpenLoop.Ms(arrived - accepted)));
                fromPost.Add(OpenLoop.Ms(arrived - posted));

                // Events apart in time, as sensors report: no event waits behind the previous one.
                await Task.Delay(20);
            }

            var a = fromAccepted.Order().ToArray();
            var p = fromPost.Order().ToArray();
            Console.WriteLine($"  sensorUpdated: {o.Subscribers} sockets, {a.Length} events measured after 10 warm-up events, {missed} not delivered within 5 s");
            Console.WriteLine($"  from the ingest's 200 to \"next\": {OpenLoop.Percentiles(a)}; {early} arrived before the 200 (counted as 0)");
            Console.WriteLine($"  from the POST's start to \"next\": {OpenLoop.Percentiles(p)}");
            return missed == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>One graphql-transport-ws connection with one subscription; records when each "next" arrives.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly Task _receiving;
        private TaskCompletionSource<long> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _pong = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Subscriber(ClientWebSocket socket, string sensorId)
        {
            _socket = socket;
            SensorId = sensorId;
            _receiving = ReceiveLoopAsync();
        }

        public string SensorId { get; }

        public static async Task<Subscriber> ConnectAsync(string target, string sensorId)
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("graphql-transport-ws");
            var uri = new UriBuilder(new Uri(new Uri(target), "/graphql")) { Scheme = target.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws" }.Uri;
            await socket.ConnectAsync(uri, CancellationToken.None);
            await SendAsync(socket, new { type = "connection_init" });
            var ack = await ReceiveTextAsync(socket);
            if (ack is null || !ack.Contains("connection_ack", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"no connection_ack: {ack}");
            }

            await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = Document, variables = new { id = sensorId } } });
            return new Subscriber(socket, sensorId);
        }

        public Task<long> ExpectNext()
        {
            _next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }

        public async Task RoundTripAsync()
        {
            _pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await SendAsync(_socket, new { type = "ping" });
            await _pong.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        private async Task ReceiveLoopAsync()
        {
            try
            {
                await ReceiveAllAsync();
            }
#pragma warning disable CA1031 // A broken socket ends this subscriber; the run reports its events as not delivered.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.WriteLine($"  socket for {SensorId} failed: {e.GetType().Name}: {e.Message}");
            }
        }

        private async Task ReceiveAllAsync()
        {
            while (await ReceiveTextAsync(_socket) is { } text)
            {
                var arrived = Stopwatch.GetTimestamp();
                using var message = JsonDocument.Parse(text);
                switch (message.RootElement.GetProperty("type").GetString())
                {
                    case "next":
                        if (message.RootElement.GetProperty("payload").TryGetProperty("errors", out var errors))
                        {
                            Console.WriteLine($"  subscription error: {errors}");
                        }

                        _next.TrySetResult(arrived);
                        break;
                    case "pong":
                        _pong.TrySetResult();
                        break;
                    case "ping":
                        await SendAsync(_socket, new { type = "pong" });
                        break;
                    default:
                        Console.WriteLine($"  unexpected message: {text}");
                        break;
                }
            }
        }

        private static Task SendAsync(ClientWebSocket socket, object message) =>
            socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

        private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket)
        {
            var buffer = new byte[16 * 1024];
            using var text = new MemoryStream();
            while (true)
            {
                WebSocketReceiveResult part;
                try
                {
                    part = await socket.ReceiveAsync(buffer, CancellationToken.None);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    return null; // the server went away; the run counts what was not delivered
                }

                if (part.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                text.Write(buffer, 0, part.Count);
                if (part.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Close our side only: the receive loop is still reading, and it ends when the server's close arrives.
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    // Already going away.
                }
            }

            await Task.WhenAny(_receiving, Task.Delay(TimeSpan.FromSeconds(2)));
            _socket.Dispose();
        }
    }
}
