using System.Text;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Testing.Conformance;

/// <summary>
/// What every <see cref="IReadingArchive"/> promises, whatever it writes to: appended readings are stored by a
/// flush, each in the partition of its own UTC hour (<see cref="ArchiveLayout.PartitionOf"/>), one canonical NDJSON
/// line per reading that decodes back to the reading; concurrent appends are all stored exactly once; a later flush
/// adds to a partition and keeps what an earlier one stored; a batch with a reading that cannot be written is
/// refused whole.
/// </summary>
/// <remarks>
/// An implementation runs these tests through a small subclass that makes a new, empty archive for each test
/// (<see cref="CreateArchiveAsync"/>) and reads back what its storage holds (<see cref="ReadStoredAsync"/>). The
/// clock given to the archive is a fake one that the tests never move, so nothing is flushed on a timer.
/// </remarks>
public abstract class ReadingArchiveConformance : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly CanonicalJsonDecoder _decoder;

    protected ReadingArchiveConformance() => _decoder = new CanonicalJsonDecoder(new ReadingValidator(time: Clock));

    /// <summary>The clock the archive is given.</summary>
    protected FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>The archive under test, new for each test.</summary>
    protected IReadingArchive Archive { get; private set; } = null!;

    /// <summary>A new, empty archive of the implementation under test, on <paramref name="clock"/>.</summary>
    protected abstract Task<IReadingArchive> CreateArchiveAsync(TimeProvider clock);

    /// <summary>
    /// Everything the archive's storage holds now, read from the storage itself: each partition
    /// (<c>yyyy/MM/dd/HH</c>) with its bytes. Every file or object in the archive's place counts, so a stray one shows.
    /// </summary>
    protected abstract Task<IReadOnlyDictionary<string, byte[]>> ReadStoredAsync();

    /// <summary>Lets the archive go after a test; by default disposes it if it is disposable.</summary>
    protected virtual Task DisposeArchiveAsync(IReadingArchive archive) => Disposal.DisposeIfDisposableAsync(archive);

    public async Task InitializeAsync() => Archive = await CreateArchiveAsync(Clock);

    public Task DisposeAsync() => Archive is null ? Task.CompletedTask : DisposeArchiveAsync(Archive);

    protected static Reading Pm25(string sensor, DateTimeOffset at, double value = 12.3) => new(sensor, at, [new(Quantity.Pm25, value)]);

    protected DecodeResult Decode(byte[] ndjson) => _decoder.Decode(ndjson, CanonicalLayout.Ndjson);

    /// <summary>The readings stored in the partition of <paramref name="hour"/>.</summary>
    protected async Task<DecodeResult> DecodePartitionAsync(DateTimeOffset hour)
    {
        var stored = await ReadStoredAsync();
        var partition = ArchiveLayout.PartitionOf(hour);
        Assert.True(stored.ContainsKey(partition), $"nothing is stored in partition {partition}; stored: {string.Join(", ", stored.Keys)}");
        return Decode(stored[partition]);
    }

    /// <summary>Every reading stored, from all partitions; none of them may fail to decode.</summary>
    protected async Task<List<Reading>> DecodeAllAsync() => ArchiveReadings.DecodeAll(_decoder, (await ReadStoredAsync()).Values);

    [Fact]
    public async Task Readings_land_in_the_partition_of_their_own_UTC_hour()
    {
        var early = Pm25("a", TenOClock.AddMinutes(15));
        var late = Pm25("b", TenOClock.AddMinutes(65));
        var lateInBerlin = Pm25("c", new DateTimeOffset(2026, 11, 23, 12, 59, 59, TimeSpan.FromHours(1)));

        await Archive.AppendAsync([early, late, lateInBerlin]);
        await Archive.FlushAsync();

        Assert.Equal("2026/11/23/10", ArchiveLayout.PartitionOf(TenOClock));
        Assert.Equal(["a"], (await DecodePartitionAsync(TenOClock)).Readings.Select(r => r.SensorId));
        Assert.Equal(["b", "c"], (await DecodePartitionAsync(TenOClock.AddHours(1))).Readings.Select(r => r.SensorId));
        Assert.Equal(2, (await ReadStoredAsync()).Count);
    }

    [Fact]
    public async Task Every_line_decodes_back_to_the_reading_that_was_appended()
    {
        Reading[] readings =
        [
            new("dd-001", TenOClock, [new(Quantity.Pm25, 12.3), new(Quantity.Pm10, 20.1), new(Quantity.Temperature, 3.2)],
                new SensorLocation(51.04, 13.74, 120, "DE", false), "SDS011"),
            new("sc-36", TenOClock.AddTicks(1_234_567), [new(Quantity.Pm25, 0.1 + 0.2)]),
            new("esp8266-15132406:1", TenOClock.AddMilliseconds(-1), [new(Quantity.Pressure, 1013.25), new(Quantity.Parse("noise_LAeq"), 45.123456789012345)],
                new SensorLocation(-33.8688, 151.2093)),
            new("a", TenOClock.AddMinutes(59), [new(Quantity.Humidity, 1e-7), new(Quantity.Temperature, -49.99999999999999)], new SensorLocation(0, 0, null, null, true)),
        ];

        await Archive.AppendAsync(readings);
        await Archive.FlushAsync();

        var read = (await DecodeAllAsync()).OrderBy(r => r.SensorId, StringComparer.Ordinal).ToList();
        var expected = readings.OrderBy(r => r.SensorId, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].SensorId, read[i].SensorId);
            Assert.Equal(expected[i].Timestamp, read[i].Timestamp);
            Assert.Equal(expected[i].Values, read[i].Values);
            Assert.Equal(expected[i].Location, read[i].Location);
            Assert.Equal(expected[i].SensorType, read[i].SensorType);
        }
    }

    [Fact]
    public async Task Concurrent_appends_are_all_present_exactly_once_after_a_flush()
    {
        const int Writers = 16;
        const int PerWriter = 250;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                // Two hours interleaved, one or two readings per call, and some writers flushing as they go.
                var at = TenOClock.AddMinutes(i % 2 * 60 + writer);
                await Archive.AppendAsync(i % 5 == 0
                    ? [Pm25($"w{writer}-{i}", at), Pm25($"w{writer}-{i}b", at)]
                    : [Pm25($"w{writer}-{i}", at)]);
                if (writer % 4 == 0 && i % 50 == 0)
                {
                    await Archive.FlushAsync();
                }
            }
        })));
        await Archive.FlushAsync();

        var ids = (await DecodeAllAsync()).Select(r => r.SensorId).ToList();
        Assert.Equal(Writers * (PerWriter + PerWriter / 5), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_later_flush_adds_to_a_partition_and_keeps_what_an_earlier_one_stored()
    {
        await Archive.AppendAsync([Pm25("a", TenOClock)]);
        await Archive.FlushAsync();
        await Archive.FlushAsync(); // nothing new: stores nothing more

        await Archive.AppendAsync([Pm25("b", TenOClock.AddMinutes(1)), Pm25("c", TenOClock.AddHours(1))]);
        await Archive.FlushAsync();

        Assert.Equal(["a", "b"], (await DecodePartitionAsync(TenOClock)).Readings.Select(r => r.SensorId));
        Assert.Equal(["c"], (await DecodePartitionAsync(TenOClock.AddHours(1))).Readings.Select(r => r.SensorId));
    }

    [Fact]
    public async Task A_batch_with_a_reading_that_cannot_be_written_buffers_none_of_it()
    {
        _ = await Assert.ThrowsAsync<ArgumentException>(() =>
            Archive.AppendAsync([Pm25("good", TenOClock), Pm25("bad", TenOClock, double.NaN)]).AsTask());
        await Archive.AppendAsync([]);
        await Archive.FlushAsync();

        Assert.Empty(await ReadStoredAsync());
    }

    [Fact]
    public async Task Lines_are_exactly_canonical_json_with_a_newline()
    {
        await Archive.AppendAsync([Pm25("a", TenOClock, 1.5), Pm25("b", TenOClock.AddSeconds(1), 2)]);
        await Archive.FlushAsync();

        Assert.Equal(
            """
            {"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1.5}}
            {"sensorId":"b","timestamp":"2026-11-23T10:00:01Z","values":{"pm25":2}}

            """,
            Encoding.UTF8.GetString((await ReadStoredAsync())[ArchiveLayout.PartitionOf(TenOClock)]));
    }
}
