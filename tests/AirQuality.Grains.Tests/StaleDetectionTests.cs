using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public sealed class StaleDetectionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_sensor_goes_stale_after_15_minutes_without_data()
    {
        var clock = ClusterFixture.Clock;
        var sensor = fixture.Client.GetGrain<ISensorGrain>($"stale-{Guid.NewGuid():N}");
        Assert.Equal(SensorStatusView.NeverSeen, (await sensor.GetView()).Status);

        await sensor.Ingest([new Reading(sensor.GetPrimaryKeyString(), clock.GetUtcNow(), [new Measurement(Quantity.Pm25, 3)])]);
        Assert.Equal(SensorStatusView.Online, (await sensor.GetView()).Status);

        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(SensorStatusView.Online, (await sensor.GetView()).Status);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SensorStatusView.Stale, (await sensor.GetView()).Status);
    }
}
