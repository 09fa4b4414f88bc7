using AirQuality.Alerts.Outbox;
using AirQuality.Storage.Local.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Storage.Local.Tests;

/// <summary>The SQLite alert outbox on a temp file, its clock a fake one.</summary>
public sealed class SqliteAlertOutboxTests : IDisposable
{
    private const string Webhook = "webhook";
    private const string HookA = "http://127.0.0.1:9/a";
    private static readonly TimeSpan LeaseTime = TimeSpan.FromMinutes(1);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    private string DatabasePath => _directory.Combine("data", SqliteAlertOutboxOptions.DefaultFileName);

    public void Dispose() => _directory.Dispose();

    private SqliteAlertOutbox Open() =>
        new(new SqliteAlertOutboxOptions { DatabasePath = DatabasePath }, _time, NullLogger<SqliteAlertOutbox>.Instance);

    private static OutboxMessage Message(string eventId, string sensor = "sensor-1") => new(eventId, sensor, $$"""{"id":"{{eventId}}"}""");

    private static Task Enqueue(SqliteAlertOutbox outbox, string eventId, string sensor = "sensor-1", params string[] destinations) =>
        outbox.EnqueueAsync(Message(eventId, sensor), Webhook, destinations.Length == 0 ? [HookA] : destinations, CancellationToken.None);

    private static Task<IReadOnlyList<OutboxDelivery>> Lease(SqliteAlertOutbox outbox, int max = 100) =>
        outbox.LeaseDueAsync(Webhook, max, LeaseTime, CancellationToken.None);

    [Fact]
    public async Task Pending_deliveries_survive_a_reopen_and_leases_of_the_previous_run_are_released()
    {
        await using (var before = Open())
        {
            await Enqueue(before, "leased");
            await Enqueue(before, "waiting", "sensor-2");
            await Enqueue(before, "delivered", "sensor-3");
            var leased = await Lease(before);
            await before.MarkDeliveredAsync(leased.Single(d => d.EventId == "delivered").Id, CancellationToken.None);
            await before.MarkFailedAsync(leased.Single(d => d.EventId == "waiting").Id, _time.GetUtcNow(), "down", CancellationToken.None);
            // "leased" stays leased: the process stops before the outcome of its send is recorded.
        }

        await using var after = Open();
        var again = await Lease(after);
        Assert.Equal(["leased", "waiting"], again.Select(d => d.EventId));
        Assert.Equal([2, 2], again.Select(d => d.Attempts));
        Assert.Equal("down", again[1].LastError);
        Assert.Equal(new OutboxCounts(2, 1, 0), await after.CountAsync(Webhook, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_fails_initialization_naming_the_file()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(DatabasePath, garbage);

        await using var outbox = Open();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => outbox.InitializeAsync(CancellationToken.None));
        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("move it aside", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        // Every operation reports the same, rather than working on a store it cannot trust.
        await Assert.ThrowsAsync<InvalidDataException>(() => Enqueue(outbox, "e1"));
        Assert.Equal(garbage, await File.ReadAllBytesAsync(DatabasePath));
    }

    [Fact]
    public async Task A_database_with_damaged_pages_fails_initialization_naming_the_file()
    {
        await using (var healthy = Open())
        {
            for (var i = 0; i < 100; i++)
            {
                await Enqueue(healthy, $"e{i}", $"sensor-{i}");
            }
        } // checkpointed: everything is in the main file now

        // Keep the header page (so it still looks like SQLite) and overwrite the pages behind it.
        await using (var file = File.OpenWrite(DatabasePath))
        {
            var garbage = new byte[(int)file.Length - 4096];
            new Random(11).NextBytes(garbage);
            file.Position = 4096;
            await file.WriteAsync(garbage);
        }

        await using var outbox = Open();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => outbox.InitializeAsync(CancellationToken.None));
        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused()
    {
        await using (var current = Open())
        {
            await current.InitializeAsync(CancellationToken.None);
        }

        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteAlertOutbox.SchemaVersion + 1};";
            command.ExecuteNonQuery();
        }

        await using var outbox = Open();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => outbox.InitializeAsync(CancellationToken.None));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_without_a_database_path_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteAlertOutbox(new SqliteAlertOutboxOptions(), _time, NullLogger<SqliteAlertOutbox>.Instance));
        Assert.Contains("DatabasePath", error.Message, StringComparison.Ordinal);
    }
}
