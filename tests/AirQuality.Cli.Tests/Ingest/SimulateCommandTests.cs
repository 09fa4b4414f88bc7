using AirQuality.Cli.Simulation;

namespace AirQuality.Cli.Tests.Ingest;

/// <summary>
/// `airq simulate` against <see cref="StandInHost"/>, the stand-in for the AirQuality host's
/// POST /api/v1/readings until that endpoint lands in this branch (then these tests target the real host).
/// </summary>
public sealed class SimulateCommandTests : IAsyncLifetime
{
    private readonly SkippingClock _clock = new(AirqIngestRun.Now);
    private StandInHost _host = null!;

    public async Task InitializeAsync() => _host = await StandInHost.StartAsync(_clock);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Target => _host.BaseUri.ToString();

    [Fact]
    public async Task A_backfill_at_max_speed_sends_exactly_what_the_simulator_generates_for_the_seed()
    {
        var run = await AirqIngestRun.RunAsync(_clock, "simulate", "--sensors", "12", "--interval", "145s", "--duration", "1h",
            "--start", "2026-01-10T06:00:00Z", "--speed", "max", "--seed", "5", "--target", Target, "--batch-size", "50");

        Assert.Equal(0, run.ExitCode);
        var expected = new SensorSimulator(12, TimeSpan.FromSeconds(145), 5)
            .Generate(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 10, 7, 0, 0, TimeSpan.Zero)).ToList();
        var received = _host.Accepted;
        Assert.Equal(expected.Count, received.Count);
        Assert.Equal(expected.Select(r => (r.SensorId, r.Timestamp)), received.Select(r => (r.SensorId, r.Timestamp)));
        Assert.Equal(expected.Select(r => string.Join(",", r.Values)), received.Select(r => string.Join(",", r.Values)));
        Assert.Equal(expected.Select(r => r.Location), received.Select(r => r.Location));
        Assert.All(_host.Requests, r => Assert.True(r.Lines <= 50));
        Assert.All(received, r => Assert.StartsWith("sim-", r.SensorId, StringComparison.Ordinal));
        Assert.Empty(_clock.Waits);
        Assert.Contains("seed 5", run.StderrLines[0], StringComparison.Ordinal);
        Assert.StartsWith($"simulated: {expected.Count} readings sent", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_sends_the_same_bodies()
    {
        string[] args = ["simulate", "--sensors", "5", "--duration", "20m", "--start", "2026-01-10T00:00:00Z", "--speed", "max", "--seed", "11", "--target", Target];
        var first = await AirqIngestRun.RunAsync(_clock, args);
        var firstReadings = _host.Accepted.Select(r => $"{r.SensorId} {r.Timestamp:O} {string.Join(",", r.Values)}").ToList();
        _host.Requests.Clear();
        var second = await AirqIngestRun.RunAsync(_clock, args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.NotEmpty(firstReadings);
        Assert.Equal(firstReadings, _host.Accepted.Select(r => $"{r.SensorId} {r.Timestamp:O} {string.Join(",", r.Values)}"));
    }

    [Theory]
    [InlineData("60", 600 / 60)]
    [InlineData("1", 600)]
    [InlineData("max", 0)]
    public async Task Speed_is_simulated_seconds_per_wall_second(string speed, int expectedWallSeconds)
    {
        var run = await AirqIngestRun.RunAsync(_clock, "simulate", "--sensors", "4", "--duration", "10m", "--start", "2026-01-10T08:00:00Z",
            "--speed", speed, "--seed", "1", "--target", Target);

        Assert.Equal(0, run.ExitCode);
        // The last reading is due within one interval of the end.
        Assert.InRange(_clock.Elapsed.TotalSeconds, Math.Max(0, expectedWallSeconds - (145 / ParseSpeed(speed))), expectedWallSeconds);
        Assert.NotEmpty(_host.Accepted);
    }

    [Fact]
    public async Task Simulated_time_never_runs_ahead_of_the_clock()
    {
        // A backfill from 10 minutes ago for an hour: fast up to now, then in step with the clock.
        var run = await AirqIngestRun.RunAsync(_clock, "simulate", "--sensors", "3", "--duration", "1h", "--start", "2026-01-10T11:50:00Z",
            "--speed", "max", "--seed", "2", "--target", Target);

        Assert.Equal(0, run.ExitCode);
        Assert.InRange(_clock.Elapsed, TimeSpan.FromMinutes(45), TimeSpan.FromMinutes(50));
        Assert.DoesNotContain(_host.Requests, r => r.Status != 200);
        Assert.Contains(_host.Accepted, r => r.Timestamp > AirqIngestRun.Now.AddMinutes(30));
    }

    [Fact]
    public async Task Without_start_a_faster_than_real_run_ends_at_the_present()
    {
        var run = await AirqIngestRun.RunAsync(_clock, "simulate", "--sensors", "3", "--duration", "30m", "--speed", "max", "--seed", "2", "--target", Target);

        Assert.Equal(0, run.ExitCode);
        Assert.All(_host.Accepted, r => Assert.InRange(r.Timestamp, AirqIngestRun.Now.AddMinutes(-30), AirqIngestRun.Now));
    }

    [Fact]
    public async Task A_refused_key_stops_the_simulation_with_exit_2()
    {
        _host.RequiredApiKey = "k";
        var run = await AirqIngestRun.RunAsync(_clock, "simulate", "--sensors", "3", "--duration", "1h", "--start", "2026-01-10T08:00:00Z",
            "--speed", "max", "--seed", "2", "--target", Target, "--api-key", "nope", "--batch-size", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(_host.Requests);
        Assert.Contains("did not accept the --api-key", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_goes_with_every_request()
    {
        _host.RequiredApiKey = "k";
        var run = await AirqIngestRun.RunAsync(_clock, "simulate", "--sensors", "3", "--duration", "30m", "--start", "2026-01-10T08:00:00Z",
            "--speed", "max", "--seed", "2", "--target", Target, "--api-key", "k", "--batch-size", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.True(_host.Requests.Count > 1);
        Assert.All(_host.Requests, r => Assert.Equal(("k", 200), (r.ApiKey, r.Status)));
    }

    [Fact]
    public async Task Cancelling_stops_with_a_summary_and_exit_130()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var environment = new AirQuality.Cli.Ingest.IngestEnvironment { Time = _clock, Cancellation = cancel.Token };

        var run = await AirqIngestRun.RunAsync(environment, "simulate", "--sensors", "3", "--duration", "1h", "--start", "2026-01-10T08:00:00Z",
            "--speed", "1", "--seed", "2", "--target", Target);

        Assert.Equal(130, run.ExitCode);
        Assert.StartsWith("interrupted: ", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--speed must be", "--sensors", "3", "--duration", "1h", "--speed", "fast")]
    [InlineData("--speed must be", "--sensors", "3", "--duration", "1h", "--speed", "-2")]
    [InlineData("--sensors must be", "--sensors", "0", "--duration", "1h")]
    [InlineData("--duration must be a duration", "--sensors", "3", "--duration", "ten minutes")]
    [InlineData("--interval must be", "--sensors", "3", "--duration", "1h", "--interval", "0s")]
    [InlineData("--start is in the future", "--sensors", "3", "--duration", "1h", "--start", "2999-01-01T00:00:00Z")]
    [InlineData("--start must be an ISO 8601", "--sensors", "3", "--duration", "1h", "--start", "yesterday")]
    [InlineData("--duration", "--sensors", "3")]
    public void Bad_arguments_exit_2_with_a_one_line_reason(string reason, params string[] args) =>
        CliRun.Of(["simulate", "--target", "http://127.0.0.1:9", .. args]).AssertBadInput(reason);

    private static double ParseSpeed(string speed) => speed == "max" ? double.PositiveInfinity : double.Parse(speed, System.Globalization.CultureInfo.InvariantCulture);
}
