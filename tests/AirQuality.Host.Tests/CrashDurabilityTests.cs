using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace AirQuality.Host.Tests;

/// <summary>
/// "A 2xx is durable", proven by killing the real host process with SIGKILL in the middle of a sustained ingest,
/// several times, while clients keep sending and retry whatever was not answered 2xx.
/// </summary>
public sealed class CrashDurabilityTests
{
    private const int Sensors = 30;
    private const int ReadingsPerSensor = 100; // one a minute, all inside the hourly window the state keeps
    private const int BatchSize = 20;
    private const int Clients = 4;
    private const int Kills = 4;

    [Fact]
    public async Task Every_reading_answered_2xx_is_in_state_exactly_once_after_repeated_SIGKILLs()
    {
        var data = HostFactory.NewDataDirectory();
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-3).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var readings = Enumerable.Range(0, Sensors).SelectMany(s => Enumerable.Range(0, ReadingsPerSensor).Select(k => new Sent(
            $"crash-{s:D2}", start.AddMinutes(k), Math.Round(1 + ((s * 7) + (k * 13)) % 97 + (k / 10.0), 1)))).ToArray();
        // Batches mix sensors and run out of order, as a gateway's would.
        var random = new Random(20261203);
        var batches = new ConcurrentQueue<Sent[]>(readings.OrderBy(_ => random.Next()).Chunk(BatchSize));
        var acknowledged = new ConcurrentDictionary<(string, DateTimeOffset), Sent>();
        var acks = Channel.CreateUnbounded<int>();

        var host = await HostProcess.StartAsync(data);
        var generation = new Generation(host);
        var killed = 0;
        try
        {
            var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => SendAllAsync(batches, generation, acknowledged, acks.Writer))).ToArray();

            // Kill after a random number of acknowledged batches each time, so kills land at different points:
            // mid-request, mid-group-commit, mid-apply, mid-checkpoint.
            for (var kill = 0; kill < Kills; kill++)
            {
                var wait = random.Next(5, 25);
                for (var i = 0; i < wait && await acks.Reader.WaitToReadAsync(); i++)
                {
                    _ = await acks.Reader.ReadAsync();
                }

                if (batches.IsEmpty)
                {
                    break;
                }

                await generation.Current.KillAsync();
                killed++;
                generation.Replace(await HostProcess.StartAsync(data));
            }

            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(killed >= 3, $"only {killed} kills landed while readings were still being sent");
            Assert.Equal(readings.Length, acknowledged.Count);

            // The hardest moment: right after the last 2xx, before any write-behind or checkpoint could run.
            await generation.Current.KillAsync();
            generation.Replace(await HostProcess.StartAsync(data));

            using var client = new HttpClient { BaseAddress = generation.Current.Url };
            foreach (var sensor in readings.GroupBy(r => r.SensorId))
            {
                var expected = sensor.ToArray();
                var history = await client.GetFromJsonAsync<JsonElement[]>(new Uri(
                    $"/api/v1/sensors/{sensor.Key}/history?quantity=pm25&from={Iso(start.AddHours(-1))}&to={Iso(start.AddHours(3))}", UriKind.Relative));
                Assert.NotNull(history);
                // Every reading counted once: counts per hour as sent, and the values are the ones sent.
                var counted = history.Sum(h => h.GetProperty("count").GetInt32());
                Assert.True(counted == expected.Length, $"{sensor.Key}: {counted} readings in state, {expected.Length} answered 2xx\n{generation.Current.Output}");
                foreach (var hour in history)
                {
                    var from = hour.GetProperty("periodStart").GetDateTimeOffset();
                    var inHour = expected.Where(r => r.Timestamp >= from && r.Timestamp < from.AddHours(1)).ToArray();
                    Assert.Equal(inHour.Length, hour.GetProperty("count").GetInt32());
                    Assert.Equal(inHour.Sum(r => r.Pm25) / inHour.Length, hour.GetProperty("mean").GetDouble(), tolerance: 0.001); // the view rounds means
                }
            }

            // The archive agrees with the state: every acknowledged reading is in it (at least once: a retried
            // request is archived again), and nothing else is.
            var archived = ReadArchive(Path.Combine(data, "archive"));
            Assert.Equal(readings.Select(r => (r.SensorId, r.Timestamp, r.Pm25)).ToHashSet(), archived.ToHashSet());
        }
        finally
        {
            await generation.Current.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_graceful_stop_checkpoints_everything_so_the_next_start_replays_nothing()
    {
        var data = HostFactory.NewDataDirectory();
        var now = DateTimeOffset.UtcNow;
        var body = string.Join('\n', Enumerable.Range(0, 50).Select(i =>
            $$$"""{"sensorId":"graceful-{{{i % 5}}}","timestamp":"{{{Iso(now.AddMinutes(-i))}}}","values":{"pm25":{{{i}}}}}"""));
        var logged = new Dictionary<string, string> { ["Logging:LogLevel:AirQuality.Storage.Local.IngestLog"] = "Information" };
        await using (var first = await HostProcess.StartAsync(data, logged))
        {
            using var client = new HttpClient { BaseAddress = first.Url };
            var response = await client.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await first.StopAsync(); // SIGTERM: the last checkpoint round runs while the silo still does
        }

        await using var second = await HostProcess.StartAsync(data, logged);
        Assert.Contains(", 0 entries to replay", second.Output, StringComparison.Ordinal);
        using var again = new HttpClient { BaseAddress = second.Url };
        var history = await again.GetFromJsonAsync<JsonElement[]>(new Uri("/api/v1/sensors/graceful-0/history?quantity=pm25", UriKind.Relative));
        Assert.Equal(10, history!.Sum(h => h.GetProperty("count").GetInt32()));
    }

    private static async Task SendAllAsync(ConcurrentQueue<Sent[]> batches, Generation generation, ConcurrentDictionary<(string, DateTimeOffset), Sent> acknowledged, ChannelWriter<int> acks)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (batches.TryDequeue(out var batch))
        {
            var body = string.Join('\n', batch.Select(r =>
                $$$"""{"sensorId":"{{{r.SensorId}}}","timestamp":"{{{Iso(r.Timestamp)}}}","values":{"pm25":{{{r.Pm25.ToString(CultureInfo.InvariantCulture)}}}}}"""));
            while (true)
            {
                var host = generation.Current;
                try
                {
                    using var response = await http.PostAsync(new Uri(host.Url, "/api/v1/readings"), new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
                    if (response.IsSuccessStatusCode)
                    {
                        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                        Assert.Equal(batch.Length, answer.GetProperty("accepted").GetInt32());
                        foreach (var reading in batch)
                        {
                            acknowledged[(reading.SensorId, reading.Timestamp)] = reading;
                        }

                        _ = acks.TryWrite(1);
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException)
                {
                    // the host died under the request: not acknowledged, so sent again below
                }

                // Not acknowledged (refused, cut off, or a 503): send it again, to the next host once the killed
                // one is replaced, after a short back-off as any client would.
                await Task.WhenAny(generation.ReplacedAfter(host), Task.Delay(200));
            }
        }
    }

    private static List<(string SensorId, DateTimeOffset Timestamp, double Pm25)> ReadArchive(string root)
    {
        var found = new List<(string, DateTimeOffset, double)>();
        foreach (var file in Directory.GetFiles(root, "*.ndjson", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file))
            {
                JsonElement reading;
                try
                {
                    reading = JsonDocument.Parse(line).RootElement;
                }
                catch (JsonException)
                {
                    continue; // a line torn by a kill mid-write: readers skip it (the reading was written again)
                }

                found.Add((reading.GetProperty("sensorId").GetString()!, reading.GetProperty("timestamp").GetDateTimeOffset(),
                    reading.GetProperty("values").GetProperty("pm25").GetDouble()));
            }
        }

        return found;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private sealed record Sent(string SensorId, DateTimeOffset Timestamp, double Pm25);

    /// <summary>The host now running, and a signal for clients waiting for the next one.</summary>
    private sealed class Generation(HostProcess first)
    {
        private readonly Lock _gate = new();
        private HostProcess _current = first;
        private TaskCompletionSource _replaced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HostProcess Current
        {
            get
            {
                lock (_gate)
                {
                    return _current;
                }
            }
        }

        public void Replace(HostProcess next)
        {
            TaskCompletionSource replaced;
            lock (_gate)
            {
                _current = next;
                replaced = _replaced;
                _replaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            replaced.SetResult();
        }

        /// <summary>Completes once a host other than <paramref name="host"/> runs.</summary>
        public Task ReplacedAfter(HostProcess host)
        {
            lock (_gate)
            {
                return ReferenceEquals(_current, host) ? _replaced.Task : Task.CompletedTask;
            }
        }
    }
}
