using AirQuality.Contracts;
using AirQuality.Grains.Live;

namespace AirQuality.Grains.Tests;

/// <summary>The lease rules of a grain's watchers (plain objects here: the list is not Orleans-specific).</summary>
public sealed class LiveWatchersTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_watch_lapses_when_its_lease_ends_unless_renewed()
    {
        var watchers = new LiveWatchers();
        var kept = new CountingObserver();
        var lapsed = new CountingObserver();
        watchers.Watch(kept, Start);
        watchers.Watch(lapsed, Start);

        watchers.Send(View("s"), Start.AddMinutes(1));
        watchers.Watch(kept, Start + LiveFeed.RenewEvery); // renewed; the other is not
        watchers.Send(View("s"), Start + LiveFeed.Lease); // the unrenewed lease has just run out

        Assert.Equal(2, kept.Views);
        Assert.Equal(1, lapsed.Views);
        Assert.Equal(1, watchers.Count);
    }

    [Fact]
    public void Watching_twice_is_one_watch()
    {
        var watchers = new LiveWatchers();
        var observer = new CountingObserver();
        watchers.Watch(observer, Start);
        watchers.Watch(observer, Start.AddSeconds(10));

        watchers.Send(new AlertEvent("raised", null!, Start), Start.AddSeconds(20));

        Assert.Equal(1, watchers.Count);
        Assert.Equal(1, observer.Alerts);
    }

    [Fact]
    public void Every_lease_ended_leaves_no_watcher()
    {
        var watchers = new LiveWatchers();
        watchers.Watch(new CountingObserver(), Start);
        watchers.Send(View("s"), Start + LiveFeed.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(0, watchers.Count);
    }

    private static SensorView View(string id) => new(id, null, null, SensorStatusView.Online, null, null, [], []);

    private sealed class CountingObserver : ILiveFeedObserver
    {
        public int Views { get; private set; }

        public int Alerts { get; private set; }

        public Task SensorChanged(SensorView view)
        {
            Views++;
            return Task.CompletedTask;
        }

        public Task AlertChanged(AlertEvent alertEvent)
        {
            Alerts++;
            return Task.CompletedTask;
        }
    }
}
