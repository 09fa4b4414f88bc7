using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public class SensorAlertTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_stuck_sensor_raises_once_is_acknowledged_and_the_alert_survives_deactivation()
    {
        var sensor = fixture.Client.GetGrain<ISensorGrain>($"stuck-{Guid.NewGuid():N}");
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-3);
        // The default rule "pm25-stuck" raises after 20 equal PM2.5 values in a row.
        var readings = Enumerable.Range(0, 25)
            .Select(i => new Reading(sensor.GetPrimaryKeyString(), start.AddMinutes(i * 5), [new Measurement(Quantity.Pm25, 12.3)]))
            .ToArray();
        foreach (var reading in readings)
        {
            await sensor.Ingest([reading]);
        }

        var alert = Assert.Single(await sensor.GetOpenAlerts());
        Assert.Equal("pm25-stuck", alert.Rule);
        Assert.Equal(AlertStateView.Active, alert.State);

        var acknowledged = await sensor.AcknowledgeAlert(alert.Id, "checking the fan");
        Assert.Equal(AlertStateView.Acknowledged, acknowledged!.State);
        Assert.Null(await sensor.AcknowledgeAlert("no-such-alert", null));

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var after = Assert.Single(await sensor.GetOpenAlerts());
        Assert.Equal(alert.Id, after.Id);
        Assert.Equal(AlertStateView.Acknowledged, after.State);
    }

    [Fact]
    public async Task A_sink_that_fails_neither_refuses_the_readings_nor_keeps_the_event_from_the_other_sinks()
    {
        var id = $"sink-fails-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-3);
        var readings = Enumerable.Range(0, 20)
            .Select(i => new Reading(id, start.AddMinutes(i * 5), [new Measurement(Quantity.Pm25, 7.7)]))
            .ToArray();

        foreach (var reading in readings)
        {
            // One call per reading (rules look at each call's outcome); the 20th equal value raises "pm25-stuck".
            Assert.Equal(1, (await sensor.Ingest([reading])).Added);
        }

        Assert.Contains(RecordingAlertSink.Events, e => e.Alert.SensorId == id && e.Alert.Rule == "pm25-stuck");
    }
}
