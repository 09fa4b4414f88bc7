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
    private const string HookB = "http://127.0.0.1:9/b";
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
    public async Task An_enqueued_message_is_leased_once_per_destination_and_not_again_while_leased()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "e1", "sensor-1", HookA, HookB);

        var leased = await Lease(outbox);
        Assert.Equal([HookA, HookB], leased.Select(d => d.Destination));
        Assert.All(leased, d =>
        {
            Assert.Equal("e1", d.EventId);
            Assert.Equal("sensor-1", d.OrderingKey);
            Assert.Equal("""{"id":"e1"}""", d.Payload);
            Assert.Equal(1, d.Attempts);
            Assert.Equal(_time.GetUtcNow(), d.EnqueuedAt);
            Assert.Null(d.LastError);
        });
        Assert.Empty(await Lease(outbox));
        Assert.Empty(await outbox.LeaseDueAsync("eventgrid", 100, LeaseTime, CancellationToken.None));
        Assert.Equal(new OutboxCounts(2, 0, 0), await outbox.CountAsync(Webhook, CancellationToken.None));
    }

    [Fact]
    public async Task A_delivered_row_is_never_leased_again_and_counts_as_delivered()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "e1");
        var delivery = Assert.Single(await Lease(outbox));

        await outbox.MarkDeliveredAsync(delivery.Id, CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await Lease(outbox));
        Assert.Null(await outbox.NextDueAsync(Webhook, CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 1, 0), await outbox.CountAsync(Webhook, CancellationToken.None));
        var record = Assert.Single(await outbox.FindAsync("e1", CancellationToken.None));
        Assert.Equal(OutboxState.Delivered, record.State);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromHours(1), record.FinishedAt);
    }

    [Fact]
    public async Task A_failed_delivery_waits_until_its_next_attempt_time_and_carries_its_error()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "e1");
        var first = Assert.Single(await Lease(outbox));
        var retryAt = _time.GetUtcNow() + TimeSpan.FromSeconds(30);

        await outbox.MarkFailedAsync(first.Id, retryAt, "HTTP 500 (InternalServerError)", CancellationToken.None);

        Assert.Equal(retryAt, await outbox.NextDueAsync(Webhook, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await Lease(outbox));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await Lease(outbox));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal("HTTP 500 (InternalServerError)", second.LastError);
    }

    [Fact]
    public async Task An_expired_lease_makes_the_delivery_due_again()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "e1");
        Assert.Single(await Lease(outbox));
        Assert.Equal(_time.GetUtcNow() + LeaseTime, await outbox.NextDueAsync(Webhook, CancellationToken.None));

        _time.Advance(LeaseTime);

        Assert.Equal(2, Assert.Single(await Lease(outbox)).Attempts);
    }

    [Fact]
    public async Task A_dead_letter_is_kept_with_its_reason_counted_and_never_leased_again()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "e1");
        var delivery = Assert.Single(await Lease(outbox));

        await outbox.DeadLetterAsync(delivery.Id, "HTTP 400 (BadRequest)", CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(30));
        Assert.Empty(await Lease(outbox));
        Assert.Equal(0, await outbox.PruneDeliveredAsync(_time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 0, 1), await outbox.CountAsync(Webhook, CancellationToken.None));
        var dead = Assert.Single(await outbox.DeadLettersAsync(Webhook, 10, CancellationToken.None));
        Assert.Equal(("e1", HookA, OutboxState.DeadLettered, 1, "HTTP 400 (BadRequest)"), (dead.EventId, dead.Destination, dead.State, dead.Attempts, dead.LastError));
    }

    [Fact]
    public async Task One_sensors_deliveries_to_one_destination_are_leased_one_at_a_time_in_order()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "a1", "sensor-a", HookA, HookB);
        await Enqueue(outbox, "a2", "sensor-a", HookA, HookB);
        await Enqueue(outbox, "b1", "sensor-b", HookA);

        var first = await Lease(outbox);
        Assert.Equal([("a1", HookA), ("a1", HookB), ("b1", HookA)], first.Select(d => (d.EventId, d.Destination)));

        // a1 failing at hook A holds a2 back there, not at hook B where a1 got through.
        var a1AtA = first[0];
        await outbox.MarkFailedAsync(a1AtA.Id, _time.GetUtcNow(), "down", CancellationToken.None);
        await outbox.MarkDeliveredAsync(first[1].Id, CancellationToken.None);
        var second = await Lease(outbox);
        Assert.Equal([("a1", HookA), ("a2", HookB)], second.Select(d => (d.EventId, d.Destination)));

        // Once a1 is dead-lettered at hook A, a2 may go there.
        await outbox.DeadLetterAsync(a1AtA.Id, "gave up", CancellationToken.None);
        Assert.Equal([("a2", HookA)], (await Lease(outbox)).Select(d => (d.EventId, d.Destination)));
    }

    [Fact]
    public async Task A_lease_takes_at_most_the_batch_size_oldest_first()
    {
        await using var outbox = Open();
        for (var i = 0; i < 5; i++)
        {
            await Enqueue(outbox, $"e{i}", $"sensor-{i}");
        }

        Assert.Equal(["e0", "e1", "e2"], (await Lease(outbox, max: 3)).Select(d => d.EventId));
        Assert.Equal(["e3", "e4"], (await Lease(outbox, max: 3)).Select(d => d.EventId));
    }

    [Fact]
    public async Task Enqueuing_the_same_event_again_adds_nothing()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "e1", "sensor-1", HookA);
        await Enqueue(outbox, "e1", "sensor-1", HookA, HookB);

        Assert.Equal([HookA, HookB], (await outbox.FindAsync("e1", CancellationToken.None)).Select(r => r.Destination));
        await outbox.EnqueueAsync(Message("e2"), Webhook, [], CancellationToken.None);
        Assert.Empty(await outbox.FindAsync("e2", CancellationToken.None));
    }

    [Fact]
    public async Task Pruning_deletes_only_delivered_rows_older_than_the_cutoff()
    {
        await using var outbox = Open();
        await Enqueue(outbox, "old", "s1");
        await Enqueue(outbox, "dead", "s2");
        await Enqueue(outbox, "waiting", "s3");
        var leased = await Lease(outbox);
        await outbox.MarkDeliveredAsync(leased[0].Id, CancellationToken.None);
        await outbox.DeadLetterAsync(leased[1].Id, "refused", CancellationToken.None);
        await outbox.MarkFailedAsync(leased[2].Id, _time.GetUtcNow() + TimeSpan.FromDays(2), "down", CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));
        await Enqueue(outbox, "recent", "s4");
        await outbox.MarkDeliveredAsync(Assert.Single(await Lease(outbox)).Id, CancellationToken.None);

        Assert.Equal(1, await outbox.PruneDeliveredAsync(_time.GetUtcNow() - TimeSpan.FromHours(12), CancellationToken.None));

        Assert.Empty(await outbox.FindAsync("old", CancellationToken.None));
        Assert.Single(await outbox.FindAsync("dead", CancellationToken.None));
        Assert.Single(await outbox.FindAsync("waiting", CancellationToken.None));
        Assert.Single(await outbox.FindAsync("recent", CancellationToken.None));
    }

    [Fact]
    public async Task The_next_due_time_ignores_deliveries_waiting_behind_an_earlier_one()
    {
        await using var outbox = Open();
        Assert.Null(await outbox.NextDueAsync(Webhook, CancellationToken.None));
        await Enqueue(outbox, "e1");
        await Enqueue(outbox, "e2");
        Assert.Equal(_time.GetUtcNow(), await outbox.NextDueAsync(Webhook, CancellationToken.None));

        var e1 = Assert.Single(await Lease(outbox));
        var retryAt = _time.GetUtcNow() + TimeSpan.FromMinutes(5);
        await outbox.MarkFailedAsync(e1.Id, retryAt, "down", CancellationToken.None);

        // e2 has been due since it was enqueued, but it is e1's turn, at retryAt.
        Assert.Equal(retryAt, await outbox.NextDueAsync(Webhook, CancellationToken.None));
    }

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
    public async Task Concurrent_enqueues_are_all_stored_and_each_leased_once()
    {
        await using var outbox = Open();
        var ids = Enumerable.Range(0, 300).Select(i => $"e{i:D3}").ToArray();

        await Task.WhenAll(ids.Select(id => Task.Run(() => Enqueue(outbox, id, $"sensor-{id}", HookA, HookB))));

        Assert.Equal(new OutboxCounts(ids.Length * 2, 0, 0), await outbox.CountAsync(Webhook, CancellationToken.None));
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Lease(outbox, max: 100))));
        var leased = leases.SelectMany(l => l).ToList();
        Assert.Equal(ids.Length * 2, leased.Count);
        Assert.Equal(leased.Count, leased.Select(d => d.Id).Distinct().Count());
        Assert.Equal(ids, leased.Select(d => d.EventId).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Settings_without_a_database_path_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteAlertOutbox(new SqliteAlertOutboxOptions(), _time, NullLogger<SqliteAlertOutbox>.Instance));
        Assert.Contains("DatabasePath", error.Message, StringComparison.Ordinal);
    }
}
