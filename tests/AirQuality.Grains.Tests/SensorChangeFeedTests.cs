using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AirQuality.Grains.Tests;

/// <summary>Sensor grains tell the silo's change feed what changed; subscribers hear only their sensors.</summary>
[Collection(ClusterDefinition.Name)]
public class SensorChangeFeedTests(ClusterFixture fixture)
{
    /// <summary>Each silo's feed: a sensor's activation may live in either.</summary>
    private IReadOnlyList<SensorChangeFeed> Feeds => fixture.Cluster.Silos
        .Cast<InProcessSiloHandle>()
        .Select(s => s.SiloHost.Services.GetRequiredService<SensorChangeFeed>())
        .ToArray();

    [Fact]
    public async Task A_subscriber_hears_its_sensor_after_an_ingest_and_a_registration_and_not_other_sensors()
    {
        var id = $"feed-{Guid.NewGuid():N}";
        var other = $"feed-other-{Guid.NewGuid():N}";
        var feeds = Feeds;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a guard against a hang only
        var subscriptions = feeds.Select(f => f.SubscribeAsync(id, cancel.Token).GetAsyncEnumerator(cancel.Token)).ToArray();
        // The first MoveNextAsync subscribes (synchronously) and then waits for an id.
        var next = subscriptions.Select(s => s.MoveNextAsync().AsTask()).ToArray();
        try
        {
            var now = ClusterFixture.Clock.GetUtcNow();
            await fixture.Client.GetGrain<ISensorGrain>(other).Ingest([Pm25(other, now, 3)]);
            await fixture.Client.GetGrain<ISensorGrain>(id).Ingest([Pm25(id, now, 4)]);

            var first = await Task.WhenAny(next);
            Assert.True(await first);
            var index = Array.IndexOf(next, first);
            Assert.Equal(id, subscriptions[index].Current); // the other sensor changed first and was not delivered

            // A registration is a change too; the same silo's feed hears it (the activation stays where it is).
            next[index] = subscriptions[index].MoveNextAsync().AsTask();
            await fixture.Client.GetGrain<ISensorGrain>(id).Register(new SensorRegistration { Name = "feed test" });
            Assert.True(await next[index]);
            Assert.Equal(id, subscriptions[index].Current);
        }
        finally
        {
            await CloseAsync(cancel, subscriptions, next);
        }

        Assert.All(feeds, f => Assert.Equal(0, f.SubscriberCount));
    }

    [Fact]
    public async Task A_change_nobody_subscribed_to_does_no_work_and_an_ingest_that_changes_nothing_is_not_a_change()
    {
        var id = $"feed-quiet-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        var before = Feeds.Sum(f => f.Delivered);

        var reading = Pm25(id, ClusterFixture.Clock.GetUtcNow(), 5);
        await sensor.Ingest([reading]);
        await sensor.Register(new SensorRegistration { Name = "nobody listens" });

        Assert.Equal(before, Feeds.Sum(f => f.Delivered));
        Assert.All(Feeds, f => Assert.Equal(0, f.SubscriberCount));

        // Now someone listens to every sensor, and the same reading again changes nothing: nothing is sent.
        var feeds = Feeds;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var subscriptions = feeds.Select(f => f.SubscribeAsync(null, cancel.Token).GetAsyncEnumerator(cancel.Token)).ToArray();
        var next = subscriptions.Select(s => s.MoveNextAsync().AsTask()).ToArray();
        try
        {
            Assert.Equal(1, (await sensor.Ingest([reading])).Duplicates);
            Assert.Equal(before, feeds.Sum(f => f.Delivered));

            await sensor.Ingest([Pm25(id, ClusterFixture.Clock.GetUtcNow().AddMinutes(1), 6)]);
            var first = await Task.WhenAny(next);
            Assert.True(await first);
            var index = Array.IndexOf(next, first);
            Assert.Equal(id, subscriptions[index].Current);
            next[index] = Task.FromResult(false); // nothing pending on it any more
        }
        finally
        {
            await CloseAsync(cancel, subscriptions, next);
        }
    }

    [Fact]
    public async Task A_subscriber_that_falls_behind_loses_its_oldest_ids_and_they_are_counted()
    {
        var feed = new SensorChangeFeed();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var subscription = feed.SubscribeAsync(null, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = subscription.MoveNextAsync(); // subscribes
        await feed.SensorChangedAsync("s0", CancellationToken.None);
        Assert.True(await next);
        Assert.Equal("s0", subscription.Current);

        // The subscriber now reads nothing while capacity + 10 ids arrive: the 10 oldest fall out.
        for (var i = 1; i <= SensorChangeFeed.SubscriberCapacity + 10; i++)
        {
            await feed.SensorChangedAsync($"s{i}", CancellationToken.None);
        }

        Assert.Equal(10, feed.Dropped);
        Assert.Equal(SensorChangeFeed.SubscriberCapacity + 11, feed.Delivered);
        Assert.True(await subscription.MoveNextAsync());
        Assert.Equal("s11", subscription.Current);
    }

    /// <summary>Ends the subscriptions: cancels, lets pending reads finish, then disposes.</summary>
    private static async Task CloseAsync(CancellationTokenSource cancel, IAsyncEnumerator<string>[] subscriptions, Task<bool>[] pending)
    {
        await cancel.CancelAsync();
        foreach (var read in pending)
        {
            await read.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }
    }

    private static Reading Pm25(string id, DateTimeOffset at, double value) => new(id, at, [new Measurement(Quantity.Pm25, value)]);
}
