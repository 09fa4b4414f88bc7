using AirQuality.Alerts.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Testing.Conformance;

/// <summary>
/// What every <see cref="IAlertOutbox"/> promises, whatever it stores in: an enqueued message is stored once per
/// destination (a repeated event id adds nothing) and leased when due, once per lease, oldest first, at most one at a
/// time per destination and ordering key (the sensor), in enqueue order; a delivered one is never leased again and is
/// pruned after the cutoff; a failed one is due again at its next attempt time with its error; a lease that runs out
/// makes it due again; a dead letter is kept with its reason and never leased again; concurrent callers lose nothing
/// and lease nothing twice.
/// </summary>
/// <remarks>
/// An implementation runs these tests through a small subclass that makes a new, empty outbox for each test on the
/// given clock (<see cref="CreateOutboxAsync"/>); the suite initializes it, as the delivery service does, and only
/// the test moves the clock.
/// </remarks>
public abstract class AlertOutboxConformance : IAsyncLifetime
{
    protected const string Webhook = "webhook";
    protected const string HookA = "http://127.0.0.1:9/a";
    protected const string HookB = "http://127.0.0.1:9/b";
    protected static readonly TimeSpan LeaseTime = TimeSpan.FromMinutes(1);

    /// <summary>The clock the outbox is given; only the tests move it.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    /// <summary>The outbox under test, new for each test.</summary>
    protected IAlertOutbox Outbox { get; private set; } = null!;

    /// <summary>A new, empty outbox of the implementation under test, on <paramref name="time"/>.</summary>
    protected abstract Task<IAlertOutbox> CreateOutboxAsync(TimeProvider time);

    /// <summary>Lets the outbox go after a test; by default disposes it if it is disposable.</summary>
    protected virtual Task DisposeOutboxAsync(IAlertOutbox outbox) => Disposal.DisposeIfDisposableAsync(outbox);

    public async Task InitializeAsync()
    {
        Outbox = await CreateOutboxAsync(Time);
        await Outbox.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Outbox is null ? Task.CompletedTask : DisposeOutboxAsync(Outbox);

    protected static OutboxMessage Message(string eventId, string sensor = "sensor-1") => new(eventId, sensor, $$"""{"id":"{{eventId}}"}""");

    protected Task Enqueue(string eventId, string sensor = "sensor-1", params string[] destinations) =>
        Outbox.EnqueueAsync(Message(eventId, sensor), Webhook, destinations.Length == 0 ? [HookA] : destinations, CancellationToken.None);

    protected Task<IReadOnlyList<OutboxDelivery>> Lease(int max = 100) =>
        Outbox.LeaseDueAsync(Webhook, max, LeaseTime, CancellationToken.None);

    [Fact]
    public async Task An_enqueued_message_is_leased_once_per_destination_and_not_again_while_leased()
    {
        await Enqueue("e1", "sensor-1", HookA, HookB);

        var leased = await Lease();
        Assert.Equal([HookA, HookB], leased.Select(d => d.Destination));
        Assert.All(leased, d =>
        {
            Assert.Equal("e1", d.EventId);
            Assert.Equal("sensor-1", d.OrderingKey);
            Assert.Equal("""{"id":"e1"}""", d.Payload);
            Assert.Equal(1, d.Attempts);
            Assert.Equal(Time.GetUtcNow(), d.EnqueuedAt);
            Assert.Null(d.LastError);
        });
        Assert.Empty(await Lease());
        Assert.Empty(await Outbox.LeaseDueAsync("eventgrid", 100, LeaseTime, CancellationToken.None));
        Assert.Equal(new OutboxCounts(2, 0, 0), await Outbox.CountAsync(Webhook, CancellationToken.None));
    }

    [Fact]
    public async Task A_delivered_row_is_never_leased_again_and_counts_as_delivered()
    {
        await Enqueue("e1");
        var delivery = Assert.Single(await Lease());

        await Outbox.MarkDeliveredAsync(delivery.Id, CancellationToken.None);

        Time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await Lease());
        Assert.Null(await Outbox.NextDueAsync(Webhook, CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 1, 0), await Outbox.CountAsync(Webhook, CancellationToken.None));
        var record = Assert.Single(await Outbox.FindAsync("e1", CancellationToken.None));
        Assert.Equal(OutboxState.Delivered, record.State);
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromHours(1), record.FinishedAt);
    }

    [Fact]
    public async Task A_failed_delivery_waits_until_its_next_attempt_time_and_carries_its_error()
    {
        await Enqueue("e1");
        var first = Assert.Single(await Lease());
        var retryAt = Time.GetUtcNow() + TimeSpan.FromSeconds(30);

        await Outbox.MarkFailedAsync(first.Id, retryAt, "HTTP 500 (InternalServerError)", CancellationToken.None);

        Assert.Equal(retryAt, await Outbox.NextDueAsync(Webhook, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await Lease());
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await Lease());
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.Equal("HTTP 500 (InternalServerError)", second.LastError);
    }

    [Fact]
    public async Task An_expired_lease_makes_the_delivery_due_again()
    {
        await Enqueue("e1");
        Assert.Single(await Lease());
        Assert.Equal(Time.GetUtcNow() + LeaseTime, await Outbox.NextDueAsync(Webhook, CancellationToken.None));

        Time.Advance(LeaseTime);

        Assert.Equal(2, Assert.Single(await Lease()).Attempts);
    }

    [Fact]
    public async Task A_dead_letter_is_kept_with_its_reason_counted_and_never_leased_again()
    {
        await Enqueue("e1");
        var delivery = Assert.Single(await Lease());

        await Outbox.DeadLetterAsync(delivery.Id, "HTTP 400 (BadRequest)", CancellationToken.None);

        Time.Advance(TimeSpan.FromDays(30));
        Assert.Empty(await Lease());
        Assert.Equal(0, await Outbox.PruneDeliveredAsync(Time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 0, 1), await Outbox.CountAsync(Webhook, CancellationToken.None));
        var dead = Assert.Single(await Outbox.DeadLettersAsync(Webhook, 10, CancellationToken.None));
        Assert.Equal(("e1", HookA, OutboxState.DeadLettered, 1, "HTTP 400 (BadRequest)"), (dead.EventId, dead.Destination, dead.State, dead.Attempts, dead.LastError));
    }

    [Fact]
    public async Task One_sensors_deliveries_to_one_destination_are_leased_one_at_a_time_in_order()
    {
        await Enqueue("a1", "sensor-a", HookA, HookB);
        await Enqueue("a2", "sensor-a", HookA, HookB);
        await Enqueue("b1", "sensor-b", HookA);

        var first = await Lease();
        Assert.Equal([("a1", HookA), ("a1", HookB), ("b1", HookA)], first.Select(d => (d.EventId, d.Destination)));

        // a1 failing at hook A holds a2 back there, not at hook B where a1 got through.
        var a1AtA = first[0];
        await Outbox.MarkFailedAsync(a1AtA.Id, Time.GetUtcNow(), "down", CancellationToken.None);
        await Outbox.MarkDeliveredAsync(first[1].Id, CancellationToken.None);
        var second = await Lease();
        Assert.Equal([("a1", HookA), ("a2", HookB)], second.Select(d => (d.EventId, d.Destination)));

        // Once a1 is dead-lettered at hook A, a2 may go there.
        await Outbox.DeadLetterAsync(a1AtA.Id, "gave up", CancellationToken.None);
        Assert.Equal([("a2", HookA)], (await Lease()).Select(d => (d.EventId, d.Destination)));
    }

    [Fact]
    public async Task A_lease_takes_at_most_the_batch_size_oldest_first()
    {
        for (var i = 0; i < 5; i++)
        {
            await Enqueue($"e{i}", $"sensor-{i}");
        }

        Assert.Equal(["e0", "e1", "e2"], (await Lease(max: 3)).Select(d => d.EventId));
        Assert.Equal(["e3", "e4"], (await Lease(max: 3)).Select(d => d.EventId));
    }

    [Fact]
    public async Task Enqueuing_the_same_event_again_adds_nothing()
    {
        await Enqueue("e1", "sensor-1", HookA);
        await Enqueue("e1", "sensor-1", HookA, HookB);

        Assert.Equal([HookA, HookB], (await Outbox.FindAsync("e1", CancellationToken.None)).Select(r => r.Destination));
        await Outbox.EnqueueAsync(Message("e2"), Webhook, [], CancellationToken.None);
        Assert.Empty(await Outbox.FindAsync("e2", CancellationToken.None));
    }

    [Fact]
    public async Task Pruning_deletes_only_delivered_rows_older_than_the_cutoff()
    {
        await Enqueue("old", "s1");
        await Enqueue("dead", "s2");
        await Enqueue("waiting", "s3");
        var leased = await Lease();
        await Outbox.MarkDeliveredAsync(leased[0].Id, CancellationToken.None);
        await Outbox.DeadLetterAsync(leased[1].Id, "refused", CancellationToken.None);
        await Outbox.MarkFailedAsync(leased[2].Id, Time.GetUtcNow() + TimeSpan.FromDays(2), "down", CancellationToken.None);
        Time.Advance(TimeSpan.FromDays(1));
        await Enqueue("recent", "s4");
        await Outbox.MarkDeliveredAsync(Assert.Single(await Lease()).Id, CancellationToken.None);

        Assert.Equal(1, await Outbox.PruneDeliveredAsync(Time.GetUtcNow() - TimeSpan.FromHours(12), CancellationToken.None));

        Assert.Empty(await Outbox.FindAsync("old", CancellationToken.None));
        Assert.Single(await Outbox.FindAsync("dead", CancellationToken.None));
        Assert.Single(await Outbox.FindAsync("waiting", CancellationToken.None));
        Assert.Single(await Outbox.FindAsync("recent", CancellationToken.None));
    }

    [Fact]
    public async Task The_next_due_time_ignores_deliveries_waiting_behind_an_earlier_one()
    {
        Assert.Null(await Outbox.NextDueAsync(Webhook, CancellationToken.None));
        await Enqueue("e1");
        await Enqueue("e2");
        Assert.Equal(Time.GetUtcNow(), await Outbox.NextDueAsync(Webhook, CancellationToken.None));

        var e1 = Assert.Single(await Lease());
        var retryAt = Time.GetUtcNow() + TimeSpan.FromMinutes(5);
        await Outbox.MarkFailedAsync(e1.Id, retryAt, "down", CancellationToken.None);

        // e2 has been due since it was enqueued, but it is e1's turn, at retryAt.
        Assert.Equal(retryAt, await Outbox.NextDueAsync(Webhook, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_enqueues_are_all_stored_and_each_leased_once()
    {
        var ids = Enumerable.Range(0, 300).Select(i => $"e{i:D3}").ToArray();

        await Task.WhenAll(ids.Select(id => Task.Run(() => Enqueue(id, $"sensor-{id}", HookA, HookB))));

        Assert.Equal(new OutboxCounts(ids.Length * 2, 0, 0), await Outbox.CountAsync(Webhook, CancellationToken.None));
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Lease(max: 100))));
        var leased = leases.SelectMany(l => l).ToList();
        Assert.Equal(ids.Length * 2, leased.Count);
        Assert.Equal(leased.Count, leased.Select(d => d.Id).Distinct().Count());
        Assert.Equal(ids, leased.Select(d => d.EventId).Distinct().Order(StringComparer.Ordinal));
    }
}
