using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Grains.Index;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace AirQuality.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public class IndexStateSizeTests(ClusterFixture fixture)
{
    /// <summary>What one write of a full tile costs: the reason tiles write behind rather than on every change.</summary>
    [Fact]
    public void A_tile_state_takes_under_80_bytes_per_sensor()
    {
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        var seen = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var state = new TileIndexState();
        for (var i = 0; i < 500; i++)
        {
            state.Sensors[$"sc-{10000 + i}"] = new SensorSummary($"sc-{10000 + i}", 51 + (i * 0.001), 13 + (i * 0.001), "DE", false, SensorStatusView.Online, seen.AddSeconds(i), 40 + (i % 50), 1 + (i % 10), 1 + (i % 6));
        }

        var bytes = serializer.SerializeToArray(state).Length;
        Assert.True(bytes < 500 * 80, $"{bytes} bytes for 500 sensors"); // measured: 36,769
    }
}
