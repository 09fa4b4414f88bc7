using System.Globalization;
using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Tests.Ingest;

/// <summary>
/// `airq import sensor-community` against <see cref="StandInHost"/>, the stand-in for the AirQuality host's
/// POST /api/v1/readings until that endpoint lands in this branch (then these tests target the real host).
/// </summary>
public sealed class ImportSensorCommunityTests : IAsyncLifetime
{
    private readonly SkippingClock _clock = new(AirqIngestRun.Now);
    private StandInHost _host = null!;
    private readonly TempDirectory _directory = new("airq-sc-");

    public async Task InitializeAsync() => _host = await StandInHost.StartAsync(_clock);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _directory.Dispose();
    }

    internal static string Record(int sensor, string timestamp, double p1, double p2) =>
        "{\"id\":" + sensor + ",\"sampling_rate\":null,\"timestamp\":\"" + timestamp + "\","
        + "\"location\":{\"id\":" + (sensor + 9000) + ",\"latitude\":\"51.044\",\"longitude\":\"13.746\",\"altitude\":\"\",\"country\":\"DE\",\"exact_location\":0,\"indoor\":0},"
        + "\"sensor\":{\"id\":" + sensor + ",\"pin\":\"1\",\"sensor_type\":{\"id\":14,\"name\":\"SDS011\",\"manufacturer\":\"Nova Fitness\"}},"
        + "\"sensordatavalues\":[{\"id\":1,\"value\":\"" + p1.ToString("0.00", CultureInfo.InvariantCulture) + "\",\"value_type\":\"P1\"},"
        + "{\"id\":2,\"value\":\"" + p2.ToString("0.00", CultureInfo.InvariantCulture) + "\",\"value_type\":\"P2\"}]}";

    internal static string Array(params string[] records) => "[" + string.Join(",\n", records) + "]";

    private string WriteFile(string content)
    {
        var path = _directory.Combine($"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    private string Target => _host.BaseUri.ToString();

    [Fact]
    public async Task Every_good_record_arrives_once_with_p1_as_pm10_and_p2_as_pm25_in_batches_of_the_given_size()
    {
        var file = WriteFile(Array(
            Record(36, "2026-01-10 10:00:00", 40.8, 21.1),
            Record(37, "2026-01-10 10:00:05", 12.0, 8.5),
            Record(38, "2026-01-10 10:00:10", 30.0, 20.0),
            """{"id":5,"timestamp":"2026-01-10 10:00:11","sensordatavalues":[{"value":"1","value_type":"P1"}]}""",
            Record(39, "2026-01-10 10:00:20", 15.5, 9.25),
            """{"id":6,"timestamp":"not a time","sensor":{"id":40},"sensordatavalues":[{"value":"1","value_type":"P1"}]}""",
            Record(36, "2026-01-10 10:02:25", 41.0, 22.0)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target, "--batch-size", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var accepted = _host.Accepted;
        Assert.Equal(5, accepted.Count);
        Assert.Equal(5, accepted.Select(r => (r.SensorId, r.Timestamp)).Distinct().Count());
        var first = Assert.Single(accepted, r => r.SensorId == "sc-36" && r.Timestamp == new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(40.8, Value(first, "pm10"));
        Assert.Equal(21.1, Value(first, "pm25"));
        Assert.Equal(9.25, Value(Assert.Single(accepted, r => r.SensorId == "sc-39"), "pm25"));

        Assert.All(_host.Requests, r => Assert.True(r.Lines <= 2, $"a request held {r.Lines} readings"));
        Assert.Equal(3, _host.Requests.Count);
        Assert.All(_host.Requests, r => Assert.Equal("application/x-ndjson", r.ContentType));
        Assert.All(_host.Requests, r => Assert.Null(r.ApiKey));

        Assert.Contains(run.StderrLines, l => l.StartsWith("rejected record 4", StringComparison.Ordinal) && l.Contains("sensor.id", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.StartsWith("rejected record 6", StringComparison.Ordinal) && l.Contains("timestamp", StringComparison.Ordinal));
        Assert.StartsWith("imported: 5 readings sent in 3 requests: 5 accepted, 0 rejected", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("decoder rejected 2 records", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_a_url_sends_only_readings_newer_than_those_already_sent()
    {
        var firstFetch = Array(
            Record(1, "2026-01-10 11:50:00", 10, 5),
            Record(2, "2026-01-10 11:50:30", 20, 10));
        var secondFetch = Array(
            Record(1, "2026-01-10 11:50:00", 10, 5),
            Record(1, "2026-01-10 11:52:25", 11, 6),
            Record(2, "2026-01-10 11:50:30", 20, 10),
            Record(3, "2026-01-10 11:49:00", 30, 15));
        _host.DataJson = fetch => fetch == 1 ? firstFetch : secondFetch;

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--url", new Uri(_host.BaseUri, "data.json").ToString(),
            "--target", Target, "--every", "5m", "--max-runs", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, _host.Fetches);
        var sent = _host.Accepted.Select(r => $"{r.SensorId}@{r.Timestamp:HH:mm:ss}").ToList();
        Assert.Equal(["sc-1@11:50:00", "sc-2@11:50:30", "sc-1@11:52:25", "sc-3@11:49:00"], sent);
        Assert.Contains(TimeSpan.FromMinutes(5), _clock.Waits);
        Assert.Contains(run.StderrLines, l => l.StartsWith("run 2: 4 readings in 4 records; 2 already sent; 2 sent", StringComparison.Ordinal));
        Assert.Contains("2 runs, 2 readings skipped as already sent", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_poll_that_fails_is_reported_and_the_next_one_sends_what_it_missed()
    {
        var data = Array(Record(1, "2026-01-10 11:50:00", 10, 5), Record(2, "2026-01-10 11:51:00", 12, 6));
        _host.DataJson = fetch => fetch == 1 ? "this is not json" : data;

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--url", new Uri(_host.BaseUri, "data.json").ToString(),
            "--target", Target, "--every", "1m", "--max-runs", "2");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, _host.Accepted.Count);
        Assert.Contains(run.StderrLines, l => l.StartsWith("run 1 failed: no readings could be decoded", StringComparison.Ordinal));
        Assert.Equal("airq: 1 of 2 runs failed", run.StderrLines[^1]);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_x_api_key()
    {
        _host.RequiredApiKey = "s3cret";
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target, "--api-key", "s3cret");

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(_host.Requests);
        Assert.Equal("s3cret", request.ApiKey);
        Assert.Equal(200, request.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task A_401_stops_at_once_with_exit_2_and_says_why(string? key)
    {
        _host.RequiredApiKey = "s3cret";
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5), Record(2, "2026-01-10 11:00:00", 10, 5)));
        string[] args = ["import", "sensor-community", "--file", file, "--target", Target, "--batch-size", "1"];

        var run = await AirqIngestRun.RunAsync(_clock, key is null ? args : [.. args, "--api-key", key]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(401, Assert.Single(_host.Requests).Status);
        Assert.Contains("401", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("--api-key", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.StartsWith("airq: ", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_413_halves_the_batch_until_the_host_takes_it_and_every_reading_arrives_once()
    {
        var records = Enumerable.Range(1, 20).Select(i => Record(i, "2026-01-10 11:00:00", 10 + i, 5 + i)).ToArray();
        var file = WriteFile(Array(records));
        _host.MaxBodyBytes = 700; // about four readings

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target, "--batch-size", "20");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(20, _host.Accepted.Count);
        Assert.Equal(20, _host.Accepted.Select(r => r.SensorId).Distinct().Count());
        Assert.Contains(_host.Requests, r => r.Status == 413);
        Assert.All(_host.Requests.Where(r => r.Status == 200), r => Assert.True(r.BodyBytes <= 700));
        // Once halved, later batches start at the smaller size: far fewer 413s than one per batch.
        Assert.True(_host.Requests.Count(r => r.Status == 413) <= 4, $"{_host.Requests.Count(r => r.Status == 413)} requests got 413");
        Assert.Contains(run.StderrLines, l => l.Contains("413", StringComparison.Ordinal) && l.Contains("batch size now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_5xx_is_retried_with_growing_backoff_then_succeeds()
    {
        _host.FailFirst = 2;
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5), Record(2, "2026-01-10 11:00:00", 11, 6)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([503, 503, 200], _host.Requests.Select(r => r.Status));
        Assert.Equal(2, _host.Accepted.Count);
        var waits = _clock.Waits.ToArray();
        Assert.Equal(2, waits.Length);
        Assert.True(waits[1] > waits[0], $"backoff {waits[0]} then {waits[1]}");
        Assert.Equal(2, run.StderrLines.Count(l => l.StartsWith("HTTP error: POST", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal)));
        Assert.Contains("2 HTTP errors", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_stays_down_is_given_up_on_after_the_bounded_attempts()
    {
        _host.FailFirst = 1000;
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(3, _host.Requests.Count);
        Assert.StartsWith("airq: gave up after 3 attempts", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_a_network_error_retried_then_given_up_on()
    {
        // A port that was free a moment ago: nothing listens there.
        var port = LoopbackPorts.Free();
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", $"http://127.0.0.1:{port}");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(3, run.StderrLines.Count(l => l.StartsWith("HTTP error: POST", StringComparison.Ordinal)));
        Assert.Equal(2, _clock.Waits.Count);
        Assert.StartsWith("airq: gave up after 3 attempts", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readings_the_host_rejects_are_counted_and_reported_not_retried()
    {
        _host.Reject = r => r.SensorId == "sc-2" ? "sensor is blocked" : null;
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5), Record(2, "2026-01-10 11:00:00", 11, 6), Record(3, "2026-01-10 11:00:00", 12, 7)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target, "--batch-size", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([200, 400, 200], _host.Requests.Select(r => r.Status));
        Assert.Contains(run.StderrLines, l => l == "host rejected sensor 'sc-2' at 2026-01-10T11:00:00Z: sensor is blocked");
        Assert.StartsWith("imported: 3 readings sent in 3 requests: 2 accepted, 1 rejected", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_accepts_nothing_makes_a_one_shot_import_exit_2()
    {
        _host.Reject = _ => "no";
        var file = WriteFile(Array(Record(1, "2026-01-10 11:00:00", 10, 5)));

        var run = await AirqIngestRun.RunAsync(_clock, "import", "sensor-community", "--file", file, "--target", Target);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("airq: the host accepted none of the 1 readings sent", run.StderrLines[^1]);
    }

    [Theory]
    [InlineData("exactly one of --url and --file", "import", "sensor-community", "--target", "http://127.0.0.1:9")]
    [InlineData("exactly one of --url and --file", "import", "sensor-community", "--url", "http://127.0.0.1:9/a", "--file", "x", "--target", "http://127.0.0.1:9")]
    [InlineData("--url must be an http", "import", "sensor-community", "--url", "ftp://x/data.json", "--target", "http://127.0.0.1:9")]
    [InlineData("--target must be", "import", "sensor-community", "--file", "x", "--target", "127.0.0.1:5080")]
    [InlineData("--max-runs bounds polling", "import", "sensor-community", "--file", "x", "--target", "http://127.0.0.1:9", "--max-runs", "2")]
    [InlineData("--every must be a duration", "import", "sensor-community", "--file", "x", "--target", "http://127.0.0.1:9", "--every", "often")]
    [InlineData("--batch-size must be between", "import", "sensor-community", "--file", "x", "--target", "http://127.0.0.1:9", "--batch-size", "0")]
    [InlineData("--target", "import", "sensor-community", "--file", "x")]
    public void Bad_arguments_exit_2_with_a_one_line_reason(string reason, params string[] args) =>
        CliRun.Of(args).AssertBadInput(reason);

    private static double Value(Reading reading, string quantity) => reading.Values.Single(m => m.Quantity.Name == quantity).Value;
}
