using System.Threading.Channels;
using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Grains.Tests;

/// <summary>
/// Watches across the two-silo cluster: an observer in the cluster client (as a standalone gateway is)
/// hears the sensors it watches, wherever their grains live, and the cluster-wide alert feed.
/// </summary>
[Collection(ClusterDefinition.Name)]
public sealed class LiveFeedTests(ClusterFixture fixture) : IDisposable
{
    private readonly RecordingObserver _observer = new();
    private ILiveFeedObserver? _reference;

    private ILiveFeedObserver Reference => _reference ??= fixture.Client.CreateObjectReference<ILiveFeedObserver>(_observer);

    [Fact]
    public async Task A_watched_sensor_sends_its_view_on_each_change_and_an_unwatched_one_sends_nothing()
    {
        var id = $"live-{Guid.NewGuid():N}";
        var other = $"live-other-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        await sensor.Watch(Reference);
        var now = ClusterFixture.Clock.GetUtcNow();

        await fixture.Client.GetGrain<ISensorGrain>(other).Ingest([Pm25(other, now, 3)]);
        await sensor.Ingest([Pm25(id, now, 4)]);
        var view = await _observer.NextViewAsync();
        Assert.Equal(id, view.Id);
        Assert.Equal(4, Assert.Single(view.Latest).Value);

        // A duplicate changes nothing and sends nothing: the next view is the next change's.
        Assert.Equal(1, (await sensor.Ingest([Pm25(id, now, 4)])).Duplicates);
        await sensor.Ingest([Pm25(id, now.AddMinutes(1), 5)]);
        Assert.Equal(5, Assert.Single((await _observer.NextViewAsync()).Latest).Value);

        // A registration is a change too.
        await sensor.Register(new SensorRegistration { Name = "live test" });
        Assert.Equal("live test", (await _observer.NextViewAsync()).Name);
        Assert.False(_observer.HasView(other));
    }

    [Fact]
    public async Task Watches_reach_sensors_on_every_silo()
    {
        // Twenty sensors land on both silos (random placement); all twenty are heard by one client observer.
        var ids = Enumerable.Range(0, 20).Select(i => $"live-spread-{i}-{Guid.NewGuid():N}").ToArray();
        await Task.WhenAll(ids.Select(id => fixture.Client.GetGrain<ISensorGrain>(id).Watch(Reference)));
        var now = ClusterFixture.Clock.GetUtcNow();
        await Task.WhenAll(ids.Select(id => fixture.Client.GetGrain<ISensorGrain>(id).Ingest([Pm25(id, now, 7)])));

        var heard = new HashSet<string>();
        while (heard.Count < ids.Length)
        {
            heard.Add((await _observer.NextViewAsync()).Id);
        }

        Assert.Equal(ids.Order(), heard.Order());
    }

    [Fact]
    public async Task The_alert_feed_passes_on_alerts_raised_anywhere_in_the_cluster()
    {
        await fixture.Client.GetGrain<ILiveAlertsGrain>(0).Watch(Reference);
        var id = $"live-alert-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-3);
        for (var i = 0; i < 20; i++)
        {
            // Twenty equal PM2.5 values in a row raise "pm25-stuck" (the default rules).
            await sensor.Ingest([new Reading(id, start.AddMinutes(i * 5), [new Measurement(Quantity.Pm25, 9.9)])]);
        }

        // Old readings also raise "offline"; other tests of this collection may raise alerts meanwhile.
        var raised = await _observer.NextAlertAsync(e => e.Alert.SensorId == id && e.Alert.Rule == "pm25-stuck");
        Assert.Equal("raised", raised.Kind);

        await sensor.AcknowledgeAlert(raised.Alert.Id, "seen");
        var acknowledged = await _observer.NextAlertAsync(e => e.Alert.Id == raised.Alert.Id);
        Assert.Equal("acknowledged", acknowledged.Kind);
        Assert.Equal(AlertStateView.Acknowledged, acknowledged.Alert.State);
    }

    public void Dispose()
    {
        if (_reference is not null)
        {
            fixture.Client.DeleteObjectReference<ILiveFeedObserver>(_reference);
        }
    }

    private static Reading Pm25(string id, DateTimeOffset at, double value) => new(id, at, [new Measurement(Quantity.Pm25, value)]);

    private sealed class RecordingObserver : ILiveFeedObserver
    {
        private readonly Channel<SensorView> _views = Channel.CreateUnbounded<SensorView>();
        private readonly Channel<AlertEvent> _alerts = Channel.CreateUnbounded<AlertEvent>();
        private readonly HashSet<string> _seen = [];

        public Task SensorChanged(SensorView view)
        {
            lock (_seen)
            {
                _seen.Add(view.Id);
            }

            _views.Writer.TryWrite(view);
            return Task.CompletedTask;
        }

        public Task AlertChanged(AlertEvent alertEvent)
        {
            _alerts.Writer.TryWrite(alertEvent);
            return Task.CompletedTask;
        }

        public bool HasView(string sensorId)
        {
            lock (_seen)
            {
                return _seen.Contains(sensorId);
            }
        }

        // The timeouts only stop a broken test from hanging the run; nothing waits for them to pass.
        public async Task<SensorView> NextViewAsync() => await _views.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        public async Task<AlertEvent> NextAlertAsync(Func<AlertEvent, bool> wanted)
        {
            while (true)
            {
                var next = await _alerts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                if (wanted(next))
                {
                    return next;
                }
            }
        }
    }
}
