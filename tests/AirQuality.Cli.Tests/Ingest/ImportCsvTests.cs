namespace AirQuality.Cli.Tests.Ingest;

/// <summary>
/// `airq import csv` against <see cref="StandInHost"/>, the stand-in for the AirQuality host's
/// POST /api/v1/readings until that endpoint lands in this branch (then these tests target the real host).
/// </summary>
public sealed class ImportCsvTests : IAsyncLifetime
{
    private const string Header = "sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2\n";

    private readonly SkippingClock _clock = new(AirqIngestRun.Now);
    private readonly TempDirectory _directory = new("airq-csv-");
    private StandInHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StandInHost.StartAsync(_clock);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _directory.Dispose();
    }

    private string Write(string name, string content)
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Target => _host.BaseUri.ToString();

    [Fact]
    public async Task Each_file_is_imported_in_batches_and_every_row_arrives_once()
    {
        var first = Write("2026-01-09_sds011_sensor_36.csv", Header
            + "36;SDS011;13208;51.044;13.746;2026-01-09T00:00:58;40.80;;;21.10;;\n"
            + "36;SDS011;13208;51.044;13.746;2026-01-09T00:03:24;38.50;;;20.00;;\n"
            + "36;SDS011;13208;51.044;13.746;2026-01-09T00:05:49;37.00;;;19.50;;\n");
        var second = Write("2026-01-09_sds011_sensor_40.csv", Header
            + "40;SDS011;13300;48.1;11.5;2026-01-09T00:01:00;10.00;;;5.00;;\n"
            + "40;SDS011;13300;48.1;11.5;2026-01-09T00:03:25;11.00;;;6.00;;\n");

        var run = await AirqIngestRun.RunAsync(_clock, "import", "csv", first, second, "--target", Target, "--batch-size", "2");

        Assert.Equal(0, run.ExitCode);
        var accepted = _host.Accepted;
        Assert.Equal(5, accepted.Count);
        Assert.Equal(5, accepted.Select(r => (r.SensorId, r.Timestamp)).Distinct().Count());
        var reading = Assert.Single(accepted, r => r.SensorId == "sc-36" && r.Timestamp.Minute == 0);
        Assert.Equal(40.8, reading.Values.Single(v => v.Quantity.Name == "pm10").Value);
        Assert.Equal(21.1, reading.Values.Single(v => v.Quantity.Name == "pm25").Value);
        // Files are batched on their own: 2+1 then 2.
        Assert.Equal([2, 1, 2], _host.Requests.Select(r => r.Lines));
        Assert.Contains(run.StderrLines, l => l.StartsWith($"{first}: 3 readings from 3 records: 3 accepted", StringComparison.Ordinal));
        Assert.StartsWith("imported: 5 readings sent in 3 requests: 5 accepted", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("2 of 2 files imported", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_files_are_reported_with_reasons_and_the_good_ones_still_imported_with_exit_2()
    {
        var good = Write("good.csv", Header
            + "36;SDS011;13208;51.044;13.746;2026-01-09T00:00:58;40.80;;;21.10;;\n"
            + "36;SDS011;13208;51.044;13.746;not-a-time;40.80;;;21.10;;\n"
            + "36;SDS011;13208;51.044;13.746;2026-01-09T00:03:24;38.50;;;20.00;;\n");
        var garbage = Write("garbage.csv", "PK\u0003\u0004 this is a zip file, not a CSV\n\u0001\u0002\u0003");
        var empty = Write("empty.csv", "");
        var missing = _directory.Combine("missing.csv");
        var alsoGood = Write("also-good.csv", Header + "40;SDS011;13300;48.1;11.5;2026-01-09T00:01:00;10.00;;;5.00;;\n");

        var run = await AirqIngestRun.RunAsync(_clock, "import", "csv", good, garbage, empty, missing, alsoGood, "--target", Target);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(3, _host.Accepted.Count);
        Assert.Contains(run.StderrLines, l => l.StartsWith($"rejected {good}: record 2 (line 3)", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l.StartsWith($"{garbage}: not imported: missing CSV header", StringComparison.Ordinal));
        Assert.Contains(run.StderrLines, l => l == $"{empty}: not imported: empty body");
        Assert.Contains(run.StderrLines, l => l == $"{missing}: not imported: no such file");
        Assert.Contains("2 of 5 files imported", run.StderrLines[^2], StringComparison.Ordinal);
        Assert.StartsWith("airq: 3 of 5 files could not be imported: ", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Contains("missing.csv (no such file)", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_ends_the_import_instead_of_failing_every_file()
    {
        _host.RequiredApiKey = "k";
        var a = Write("a.csv", Header + "36;SDS011;1;51.0;13.7;2026-01-09T00:00:58;40.80;;;21.10;;\n");
        var b = Write("b.csv", Header + "37;SDS011;1;51.0;13.7;2026-01-09T00:00:58;40.80;;;21.10;;\n");

        var run = await AirqIngestRun.RunAsync(_clock, "import", "csv", a, b, "--target", Target);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(_host.Requests);
        Assert.Contains("401", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void No_files_is_a_usage_error() =>
        CliRun.Of("import", "csv", "--target", "http://127.0.0.1:9").AssertBadInput("Required argument missing");
}
