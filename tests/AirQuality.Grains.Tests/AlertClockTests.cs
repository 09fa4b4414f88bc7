using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Grains.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirQuality.Grains.Tests;

/// <summary>
/// Time-based alerts for sensors nothing calls: the sensor asks the alert clock for a check, and the clock
/// (ticked by every silo, or by the test) wakes it. The default "offline" rule raises after 2 hours of silence.
/// </summary>
[Collection(ClusterDefinition.Name)]
public class AlertClockTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Offline = TimeSpan.FromHours(2);

    [Fact]
    public async Task A_sensor_gone_silent_raises_offline_though_its_grain_was_deactivated_and_nobody_asks()
    {
        var id = $"silent-{Guid.NewGuid():N}";
        var now = ClusterFixture.Clock.GetUtcNow();
        await fixture.Client.GetGrain<ISensorGrain>(id).Ingest([Pm25(id, now.AddMinutes(-1))]);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        ClusterFixture.Clock.Advance(Offline + TimeSpan.FromMinutes(2));
        await TickAsync();

        // Published by the check itself: nothing read the sensor.
        var raised = await RecordingAlertSink.WaitFor(e => e.Alert.SensorId == id);
        Assert.Equal(("offline", "raised"), (raised.Alert.Rule, raised.Kind));
    }

    [Fact]
    public async Task A_reporting_sensor_is_checked_once_per_offline_period_and_never_raised()
    {
        var id = $"reporting-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        for (var step = 1; step <= 5; step++)
        {
            // A reading every 50 minutes, and the clock ticked every 50 minutes: never 2 hours of silence.
            ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(50));
            await sensor.Ingest([Pm25(id, ClusterFixture.Clock.GetUtcNow())]);
            await TickAsync();
        }

        Assert.DoesNotContain(RecordingAlertSink.Events, e => e.Alert.SensorId == id);

        // Then it falls silent: raised at the first tick after its deadline, not before.
        var last = ClusterFixture.Clock.GetUtcNow();
        ClusterFixture.Clock.Advance(Offline - TimeSpan.FromMinutes(5));
        await TickAsync();
        Assert.DoesNotContain(RecordingAlertSink.Events, e => e.Alert.SensorId == id);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(7));
        await TickAsync();
        var raised = await RecordingAlertSink.WaitFor(e => e.Alert.SensorId == id);
        Assert.Equal("offline", raised.Alert.Rule);
        Assert.Single(RecordingAlertSink.Events, e => e.Alert.SensorId == id);
        Assert.True(raised.Alert.RaisedAt > last + Offline);
    }

    [Fact]
    public async Task The_silos_tick_the_clock_on_their_own_as_time_passes()
    {
        var id = $"unattended-{Guid.NewGuid():N}";
        await fixture.Client.GetGrain<ISensorGrain>(id).Ingest([Pm25(id, ClusterFixture.Clock.GetUtcNow())]);

        // No Tick() from the test: moving the clock past the deadline lets each silo's AlertClockService fire.
        ClusterFixture.Clock.Advance(Offline + TimeSpan.FromMinutes(2));

        var raised = await RecordingAlertSink.WaitFor(e => e.Alert.SensorId == id && e.Kind == "raised");
        Assert.Equal("offline", raised.Alert.Rule);
    }

    [Fact]
    public async Task A_minute_still_to_come_is_left_for_later()
    {
        var id = $"future-{Guid.NewGuid():N}";
        await fixture.Client.GetGrain<ISensorGrain>(id).Ingest([Pm25(id, ClusterFixture.Clock.GetUtcNow())]);

        await TickAsync();

        var minute = (ClusterFixture.Clock.GetUtcNow() + Offline).ToUnixTimeSeconds() / 60 + 1;
        Assert.Contains(id, await fixture.Client.GetGrain<IAlertDueGrain>(minute).Sensors());
    }

    /// <summary>
    /// A tick as the silos do it. The silos' own ticks (their clock is this fake one) may run beside it; a
    /// minute leased by one is not checked by the other, so wait for the raise rather than assume who made it.
    /// </summary>
    private Task<int> TickAsync() => AlertChecks.RunDueAsync(fixture.Client, NullLogger.Instance);

    private static Reading Pm25(string id, DateTimeOffset at) => new(id, at, [new Measurement(Quantity.Pm25, 12.5 + at.Minute)]);
}
