using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests;

/// <summary>
/// A data directory written by a real host that then shut down cleanly: 200 sensors with locations, so both
/// grains.db (sensor state) and index.db (spatial index, alert clock) hold real rows. Tests damage copies of it.
/// </summary>
public sealed class SeededDataDirectory : IAsyncLifetime
{
    public const int Sensors = 200;

    public string Path { get; } = HostFactory.NewDataDirectory();

    public static string SensorId(int i) => $"seeded-{i:D3}";

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var lines = new StringBuilder();
        for (var i = 0; i < Sensors; i++)
        {
            for (var m = 0; m < 3; m++)
            {
                var at = now.AddMinutes(-5 * m).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                var lat = (48 + (i % 20 * 0.3)).ToString(CultureInfo.InvariantCulture);
                var lon = (6 + (i / 20 * 0.5)).ToString(CultureInfo.InvariantCulture);
                _ = lines.Append(CultureInfo.InvariantCulture, $$$"""{"sensorId":"{{{SensorId(i)}}}","timestamp":"{{{at}}}","values":{"pm25":{{{10 + m}}},"pm10":{{{20 + m}}}},"location":{"latitude":{{{lat}}},"longitude":{{{lon}}},"country":"DE"}}""").Append('\n');
            }
        }

        await using var host = new HostFactory(Path);
        using var client = host.CreateClient();
        var response = await client.PostNdjsonAsync([lines.ToString()]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    } // graceful shutdown: every grain writes its state, and both databases are checkpointed

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh copy of the seeded directory, for one test to damage.</summary>
    public string Copy()
    {
        var copy = HostFactory.NewDataDirectory();
        foreach (var file in Directory.GetFiles(Path))
        {
            File.Copy(file, System.IO.Path.Combine(copy, System.IO.Path.GetFileName(file)));
        }

        return copy;
    }
}

public enum Damage
{
    /// <summary>Cut to half its length, as an interrupted copy or a full disk leaves it.</summary>
    Truncated,

    /// <summary>Pages in the middle overwritten with random bytes, as a failing disk or a stray write leaves it.</summary>
    GarbageInTheMiddle,

    /// <summary>0 bytes: the file is there but everything in it is gone.</summary>
    Empty,

    /// <summary>Some other file in its place.</summary>
    NotSqlite,
}

public sealed class DamagedFilesTests(SeededDataDirectory seeded) : IClassFixture<SeededDataDirectory>
{
    private const int PageSize = 4096;

    [Theory]
    [InlineData("grains.db", Damage.Truncated)]
    [InlineData("grains.db", Damage.GarbageInTheMiddle)]
    [InlineData("grains.db", Damage.Empty)]
    [InlineData("grains.db", Damage.NotSqlite)]
    [InlineData("index.db", Damage.Truncated)]
    [InlineData("index.db", Damage.GarbageInTheMiddle)]
    [InlineData("index.db", Damage.Empty)]
    [InlineData("index.db", Damage.NotSqlite)]
    public void A_damaged_database_stops_start_up_with_a_message_naming_the_file_and_what_to_do(string file, Damage damage)
    {
        var data = seeded.Copy();
        var path = Path.Combine(data, file);
        Apply(damage, path);

        var host = new HostFactory(data);
        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        host.Dispose();

        var text = error.ToString();
        Assert.Contains($"'{path}'", text, StringComparison.Ordinal);
        Assert.Contains("keep a copy", text, StringComparison.Ordinal);
        Assert.Contains("move it aside", text, StringComparison.Ordinal);

        // The check ran before the silo started anything: Orleans cannot stop a silo that never reached Running, so a
        // later failure left its listener on the port (and its directory loop spinning) after the host was gone.
        Assert.True(LoopbackPorts.IsFree(host.SiloPort), $"the failed host still holds its silo port {host.SiloPort}");
    }

    [Fact]
    public async Task A_database_damaged_at_run_time_makes_the_host_not_ready_and_each_failing_read_answers_a_json_error()
    {
        var data = seeded.Copy();
        await using var host = new HostFactory(data);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        // Under the running host: no sensor has been read yet, so their pages come from the file.
        OverwriteMiddlePages(Path.Combine(data, "grains.db"));

        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < SeededDataDirectory.Sensors; i++)
        {
            var response = await client.GetAsync(new Uri($"/api/v1/sensors/{SeededDataDirectory.SensorId(i)}", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add(response);
            }
        }

        Assert.NotEmpty(failures);
        foreach (var failure in failures)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
            var body = await failure.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("grains.db", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var problems = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems");
        Assert.Contains(problems.EnumerateArray(), p => p.GetString()!.Contains("grains.db", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_archive_directory_that_is_a_file_stops_start_up_naming_the_path_and_the_setting(bool configured)
    {
        var data = HostFactory.NewDataDirectory();
        var archive = configured ? Path.Combine(data, "elsewhere") : Path.Combine(data, "archive");
        File.WriteAllText(archive, "not a directory\n");

        using var host = new HostFactory(data, configured ? new Dictionary<string, string> { ["Archive:Directory"] = archive } : null);
        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var text = error.ToString();
        Assert.Contains($"'{archive}'", text, StringComparison.Ordinal);
        Assert.Contains("Archive:Directory", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_directory_that_becomes_unusable_makes_the_host_not_ready_and_the_archive_catches_up_once_put_right()
    {
        var data = HostFactory.NewDataDirectory();
        await using var host = new HostFactory(data);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Ingest(client, "archive-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        // An operator's mistake under the running host: the archive directory replaced by a file.
        var archive = Path.Combine(data, "archive");
        Directory.Delete(archive, recursive: true);
        await File.WriteAllTextAsync(archive, "not a directory\n");

        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var problems = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems");
        Assert.Contains(problems.EnumerateArray(), p => p.GetString()!.Contains("archive", StringComparison.Ordinal));

        // Ingest goes on: the ingest log makes the readings durable, and it keeps them (no checkpoint) until the
        // archive has them too. A checkpoint round now fails on the archive and moves nothing.
        Assert.Equal(HttpStatusCode.OK, (await Ingest(client, "archive-2")).StatusCode);
        var checkpointer = host.Services.GetRequiredService<AirQuality.Ingest.Pipeline.IngestCheckpointer>();
        Assert.False(await checkpointer.CheckpointAsync(CancellationToken.None));

        // Put right, the host is ready again, and the readings kept meanwhile reach the archive.
        File.Delete(archive);
        Assert.Equal(HttpStatusCode.OK, (await Ingest(client, "archive-3")).StatusCode);
        await host.CheckpointAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var archived = string.Concat(Directory.GetFiles(archive, "*.ndjson", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("archive-2", archived, StringComparison.Ordinal);
        Assert.Contains("archive-3", archived, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Ingest(HttpClient client, string sensorId) =>
        client.PostNdjsonAsync([ReadingPosts.Line(sensorId, DateTimeOffset.UtcNow.AddMinutes(-1), 4)]);

    private static void Apply(Damage damage, string path)
    {
        switch (damage)
        {
            case Damage.Truncated:
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    file.SetLength(file.Length / 2);
                }

                break;
            case Damage.GarbageInTheMiddle:
                OverwriteMiddlePages(path);
                break;
            case Damage.Empty:
                File.WriteAllBytes(path, []);
                break;
            case Damage.NotSqlite:
                File.WriteAllText(path, string.Concat(Enumerable.Repeat("this is a text file, not a database\n", 200)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage), damage, null);
        }
    }

    /// <summary>The middle half of the pages (never the first, which holds the header) overwritten with random bytes.</summary>
    private static void OverwriteMiddlePages(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var pages = file.Length / PageSize;
        Assert.True(pages >= 2, $"{path} has only {pages} page(s)");
        var first = Math.Max(1, pages / 4);
        var last = Math.Max(first, pages * 3 / 4);
        var random = new Random(9);
        var garbage = new byte[PageSize];
        for (var page = first; page <= last; page++)
        {
            random.NextBytes(garbage);
            file.Position = page * PageSize;
            file.Write(garbage);
        }

        file.Flush(flushToDisk: true);
    }
}
