using AirQuality.Domain.Ingest;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Storage.Local.IngestLog;

namespace AirQuality.Storage.Local.Tests;

public sealed class FileIngestLogTests : IDisposable
{
    private const long SmallSegments = 64 * 1024;
    private static readonly DateTimeOffset Start = new(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Root => _directory.Combine("ingest-log");

    private FileIngestLog Open(long segmentBytes = 64L * 1024 * 1024) => new(Root, segmentBytes);

    private static Reading[] Batch(int batch, int size = 3) =>
        [.. Enumerable.Range(0, size).Select(i => new Reading($"s-{batch}-{i}", Start.AddSeconds(batch), [new(Quantity.Pm25, batch + (i / 10.0)), new(Quantity.Pm10, batch)]))];

    private static async Task<List<IngestLogEntry>> Replay(FileIngestLog log)
    {
        var entries = new List<IngestLogEntry>();
        await foreach (var entry in log.ReadUncheckpointedAsync())
        {
            entries.Add(entry);
        }

        return entries;
    }

    private string[] Segments() => [.. Directory.GetFiles(Root, "*.log").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Appends_get_consecutive_positions_and_a_reopened_log_replays_them_as_written()
    {
        using (var log = Open())
        {
            for (var i = 1; i <= 5; i++)
            {
                Assert.Equal(i, await log.AppendAsync(Batch(i)));
            }
        }

        using var reopened = Open();
        var entries = await Replay(reopened);
        Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Position));
        Assert.Equal(Batch(4).Select(r => (r.SensorId, r.Timestamp, r.Values[0].Value, r.Values[1].Value)),
            entries[3].Readings.Select(r => (r.SensorId, r.Timestamp, r.Values[0].Value, r.Values[1].Value)));
        Assert.Equal(6, await reopened.AppendAsync(Batch(6))); // positions go on after a restart
    }

    [Fact]
    public async Task Concurrent_appends_share_writes_and_each_gets_its_own_position()
    {
        using (var log = Open())
        {
            var positions = await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(async () => await log.AppendAsync(Batch(i)))));
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), positions.Order());
        }

        using var reopened = Open();
        var entries = await Replay(reopened);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), entries.Select(e => e.Position));
        Assert.Equal(200, entries.Select(e => e.Readings[0].SensorId).Distinct().Count());
    }

    [Fact]
    public async Task A_checkpoint_survives_a_restart_and_whole_segments_behind_it_are_deleted()
    {
        using (var log = Open(SmallSegments))
        {
            for (var i = 1; i <= 600; i++)
            {
                _ = await log.AppendAsync(Batch(i, size: 5)); // ~0.5 KB each: several segments
            }

            Assert.True(Segments().Length > 3, $"{Segments().Length} segments");
            await log.CheckpointAsync(550);
            Assert.Equal(550, log.Checkpoint);
        }

        var left = Segments();
        using var reopened = Open(SmallSegments);
        Assert.Equal(550, reopened.Checkpoint);
        var entries = await Replay(reopened);
        Assert.Equal(Enumerable.Range(551, 50).Select(i => (long)i), entries.Select(e => e.Position));
        Assert.True(left.Length <= 3, $"segments behind the checkpoint were kept: {left.Length}");
    }

    [Fact]
    public async Task A_record_cut_short_at_the_end_is_a_write_the_crash_interrupted_and_is_dropped()
    {
        using (var log = Open())
        {
            for (var i = 1; i <= 3; i++)
            {
                _ = await log.AppendAsync(Batch(i));
            }
        }

        var segment = Segments().Single();
        await using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 7); // the last record's tail never reached the disk
        }

        using var reopened = Open();
        Assert.Equal([1L, 2], (await Replay(reopened)).Select(e => e.Position));
        Assert.Equal(3, await reopened.AppendAsync(Batch(3))); // never acknowledged, so its position is free again
    }

    [Fact]
    public async Task Garbage_after_the_last_record_is_dropped_too()
    {
        using (var log = Open())
        {
            _ = await log.AppendAsync(Batch(1));
        }

        await File.AppendAllTextAsync(Segments().Single(), "\0\0\0\u0001garbage that is no record");
        using var reopened = Open();
        Assert.Equal([1L], (await Replay(reopened)).Select(e => e.Position));
    }

    [Fact]
    public async Task Damage_inside_an_earlier_segment_stops_start_up_naming_the_file()
    {
        using (var log = Open(SmallSegments))
        {
            for (var i = 1; i <= 200; i++)
            {
                _ = await log.AppendAsync(Batch(i, size: 5));
            }
        }

        var first = Segments()[0];
        await using (var file = new FileStream(first, FileMode.Open))
        {
            file.Position = file.Length / 2;
            file.Write("this is not what was written"u8);
        }

        var error = Assert.Throws<InvalidDataException>(() => Open(SmallSegments));
        Assert.Contains(first, error.Message, StringComparison.Ordinal);
        Assert.Contains("Keep a copy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_checkpoint_file_stops_start_up_naming_it()
    {
        using (var log = Open())
        {
            _ = await log.AppendAsync(Batch(1));
            await log.CheckpointAsync(1);
        }

        var checkpoint = Path.Combine(Root, "checkpoint");
        await File.WriteAllTextAsync(checkpoint, "\u00ff\u00fe not a number");
        var error = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains(checkpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_missing_between_the_checkpoint_and_the_log_stop_start_up()
    {
        using (var log = Open(SmallSegments))
        {
            for (var i = 1; i <= 200; i++)
            {
                _ = await log.AppendAsync(Batch(i, size: 5));
            }
        }

        File.Delete(Segments()[0]); // a segment lost while the checkpoint is still 0
        var error = Assert.Throws<InvalidDataException>(() => Open(SmallSegments));
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_directory_that_is_a_file_is_refused_with_its_path()
    {
        File.WriteAllText(Root, "not a directory");
        var error = Assert.Throws<IOException>(() => Open());
        Assert.Contains(Root, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        // IngestLog:CheckpointInterval is the pipeline's (AirQuality.Ingest); Host.Tests check it is named.
        var problems = new FileIngestLogOptions { Directory = " ", SegmentBytes = 10 }.Problems().ToArray();
        Assert.Contains(problems, p => p.Contains("IngestLog:Directory", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("IngestLog:SegmentBytes", StringComparison.Ordinal));
        Assert.Empty(new FileIngestLogOptions().Problems());
    }
}
