using AirQuality.Domain.Archive;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using AirQuality.Testing.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Storage.Local.Tests;

public sealed class FileReadingArchiveTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly CanonicalJsonDecoder _decoder;

    public FileReadingArchiveTests() => _decoder = new CanonicalJsonDecoder(new ReadingValidator(time: _clock));

    public void Dispose() => _directory.Dispose();

    private string Root => _directory.Combine("archive");

    private FileReadingArchive Archive(int maxOpenFiles = 16, int maxBufferedBytes = 8 * 1024 * 1024) => new(
        new FileReadingArchiveOptions
        {
            Directory = Root,
            FlushInterval = TimeSpan.FromSeconds(1),
            MaxOpenFiles = maxOpenFiles,
            MaxBufferedBytes = maxBufferedBytes,
        },
        _clock);

    private static Reading Pm25(string sensor, DateTimeOffset at, double value = 12.3) => new(sensor, at, [new(Quantity.Pm25, value)]);

    private string FileOf(DateTimeOffset hour) => FileReadingArchive.PathOf(Root, ArchiveLayout.PartitionOf(hour));

    private DecodeResult Decode(string path) => _decoder.Decode(File.ReadAllBytes(path), CanonicalLayout.Ndjson);

    private List<Reading> DecodeAll() =>
        ArchiveReadings.DecodeAll(_decoder, Directory.EnumerateFiles(Root, "*.ndjson", SearchOption.AllDirectories).Select(File.ReadAllBytes));

    [Fact]
    public async Task A_partition_is_the_file_yyyy_MM_dd_HH_ndjson_under_the_root()
    {
        await using var archive = Archive();

        await archive.AppendAsync([Pm25("a", TenOClock.AddMinutes(15))]);
        await archive.FlushAsync();

        Assert.Equal(_directory.Combine("archive", "2026", "11", "23", "10.ndjson"), FileOf(TenOClock));
        Assert.Equal(["a"], Decode(FileOf(TenOClock)).Readings.Select(r => r.SensorId));
    }

    [Fact]
    public async Task Appending_only_buffers_and_a_flush_makes_it_visible()
    {
        await using var archive = Archive();

        await archive.AppendAsync([Pm25("a", TenOClock)]);

        Assert.False(File.Exists(FileOf(TenOClock)));
        await archive.FlushAsync();
        Assert.Single(Decode(FileOf(TenOClock)).Readings);
    }

    [Fact]
    public async Task The_background_flush_runs_every_flush_interval_on_the_clock()
    {
        await using var archive = Archive();
        await archive.AppendAsync([Pm25("a", TenOClock)]);

        _clock.Advance(TimeSpan.FromMilliseconds(999));
        await archive.BackgroundFlush;
        Assert.False(File.Exists(FileOf(TenOClock)));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await archive.BackgroundFlush;
        Assert.Equal(["a"], Decode(FileOf(TenOClock)).Readings.Select(r => r.SensorId));

        await archive.AppendAsync([Pm25("b", TenOClock)]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await archive.BackgroundFlush;
        Assert.Equal(["a", "b"], Decode(FileOf(TenOClock)).Readings.Select(r => r.SensorId));
    }

    [Fact]
    public async Task Disposing_flushes_what_was_appended_and_later_appends_are_refused()
    {
        var archive = Archive();
        await archive.AppendAsync([Pm25("a", TenOClock), Pm25("b", TenOClock.AddHours(1))]);

        await archive.DisposeAsync();

        Assert.Equal(2, DecodeAll().Count);
        _ = await Assert.ThrowsAsync<ObjectDisposedException>(() => archive.AppendAsync([Pm25("c", TenOClock)]).AsTask());
        await archive.FlushAsync();
        await archive.DisposeAsync();
        Assert.Empty(archive.OpenPartitions);
    }

    [Fact]
    public async Task A_torn_last_line_costs_only_that_line_and_later_appends_start_on_a_new_line()
    {
        await using (var archive = Archive())
        {
            await archive.AppendAsync([Pm25("a", TenOClock), Pm25("b", TenOClock), Pm25("c", TenOClock)]);
        }

        // A process that died mid-write: half of a line, no newline.
        var path = FileOf(TenOClock);
        var line = """{"sensorId":"torn","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""";
        await File.AppendAllTextAsync(path, line[..(line.Length / 2)]);

        var torn = Decode(path);
        Assert.Equal(["a", "b", "c"], torn.Readings.Select(r => r.SensorId));
        Assert.Equal(4, Assert.Single(torn.Rejections).Line);

        await using (var archive = Archive())
        {
            await archive.AppendAsync([Pm25("d", TenOClock)]);
            await archive.FlushAsync();
        }

        var resumed = Decode(path);
        Assert.Equal(["a", "b", "c", "d"], resumed.Readings.Select(r => r.SensorId));
        Assert.Equal(4, Assert.Single(resumed.Rejections).Line);
    }

    [Fact]
    public async Task At_most_MaxOpenFiles_stay_open_and_a_closed_partition_is_reopened_for_appending()
    {
        await using var archive = Archive(maxOpenFiles: 2);
        var hours = Enumerable.Range(0, 3).Select(h => TenOClock.AddHours(h)).ToArray();

        foreach (var hour in hours)
        {
            await archive.AppendAsync([Pm25($"first-{hour.Hour}", hour)]);
            await archive.FlushAsync();
        }

        Assert.Equal([ArchiveLayout.PartitionOf(hours[2]), ArchiveLayout.PartitionOf(hours[1])], archive.OpenPartitions);

        await archive.AppendAsync([Pm25("second-10", hours[0])]);
        await archive.FlushAsync();

        Assert.Equal([ArchiveLayout.PartitionOf(hours[0]), ArchiveLayout.PartitionOf(hours[2])], archive.OpenPartitions);
        Assert.Equal(["first-10", "second-10"], Decode(FileOf(hours[0])).Readings.Select(r => r.SensorId));
        Assert.Equal(["first-11"], Decode(FileOf(hours[1])).Readings.Select(r => r.SensorId));
    }

    [Fact]
    public async Task One_flush_can_touch_more_partitions_than_MaxOpenFiles()
    {
        await using var archive = Archive(maxOpenFiles: 1);
        var readings = Enumerable.Range(0, 5).Select(h => Pm25($"s{h}", TenOClock.AddHours(-h))).ToArray();

        await archive.AppendAsync(readings);
        await archive.FlushAsync();

        Assert.Single(archive.OpenPartitions);
        Assert.Equal(5, DecodeAll().Count);
    }

    [Fact]
    public async Task An_append_that_fills_the_buffer_flushes_before_it_completes()
    {
        await using var archive = Archive(maxBufferedBytes: 100);

        await archive.AppendAsync([Pm25("a", TenOClock)]);
        Assert.False(File.Exists(FileOf(TenOClock)));
        await archive.AppendAsync([Pm25("b", TenOClock)]);

        Assert.Equal(["a", "b"], Decode(FileOf(TenOClock)).Readings.Select(r => r.SensorId));
    }

}

public sealed class FileReadingArchiveOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_put_the_archive_in_the_data_directory()
    {
        var options = new FileReadingArchiveOptions();

        options.Validate();

        Assert.Equal(TimeSpan.FromSeconds(1), options.FlushInterval);
        Assert.Equal(Path.Combine(DataDirectory.Find(), "archive"), options.ResolveDirectory());
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new FileReadingArchiveOptions
        {
            Directory = " ",
            FlushInterval = TimeSpan.Zero,
            MaxOpenFiles = 0,
            MaxBufferedBytes = -1,
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Directory must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("FlushInterval must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxOpenFiles must be at least 1, got 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBufferedBytes must be positive, got -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_file_is_not_an_archive_directory_and_the_archive_refuses_bad_options()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("file");
        File.WriteAllText(file, "");
        var options = new FileReadingArchiveOptions { Directory = file };

        var error = Assert.Throws<ArgumentException>(() => new FileReadingArchive(options));

        Assert.Contains("is an existing file", error.Message, StringComparison.Ordinal);
        _ = Assert.Throws<ArgumentException>(() => new FileReadingArchive(new FileReadingArchiveOptions { FlushInterval = Timeout.InfiniteTimeSpan }));
    }
}
