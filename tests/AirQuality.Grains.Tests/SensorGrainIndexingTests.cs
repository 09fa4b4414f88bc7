using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Grains.Index;

namespace AirQuality.Grains.Tests;

/// <summary>The sensor grain keeps the spatial index up to date by itself: readings in, queries answer.</summary>
[Collection(ClusterDefinition.Name)]
public class SensorGrainIndexingTests(ClusterFixture fixture)
{
    // Places no other test uses, so counts here are exact.
    private static readonly SensorLocation Ushuaia = new(-54.80, -68.30, Country: "AR");
    private static readonly SensorLocation Nuuk = new(64.18, -51.72, Country: "GL");

    [Fact]
    public async Task A_sensor_that_reports_with_a_location_is_found_and_a_moved_one_only_where_it_is()
    {
        var sensor = fixture.Client.GetGrain<ISensorGrain>($"idx-{Guid.NewGuid():N}");
        var now = ClusterFixture.Clock.GetUtcNow();
        await sensor.Ingest([Reading(sensor, now.AddMinutes(-1), Ushuaia, 12)]);

        var directory = new SensorDirectory(fixture.Client);
        var inUshuaia = await directory.FindAsync(new SensorQuery { Near = new GeoCircle(-54.8, -68.3, 20) }, CancellationToken.None);
        var found = Assert.Single(inUshuaia.Items, s => s.Id == sensor.GetPrimaryKeyString());
        Assert.Equal("AR", found.Country);
        Assert.Equal(SensorStatusView.Online, found.Status);

        await sensor.Ingest([Reading(sensor, now, Nuuk, 13)]);

        Assert.DoesNotContain((await directory.FindAsync(new SensorQuery { Country = "AR" }, CancellationToken.None)).Items, s => s.Id == sensor.GetPrimaryKeyString());
        Assert.Contains((await directory.FindAsync(new SensorQuery { Country = "GL" }, CancellationToken.None)).Items, s => s.Id == sensor.GetPrimaryKeyString());
    }

    [Fact]
    public async Task A_sensor_that_goes_quiet_is_listed_as_stale_without_pushing_anything()
    {
        var sensor = fixture.Client.GetGrain<ISensorGrain>($"idx-stale-{Guid.NewGuid():N}");
        var location = new SensorLocation(-54.5, -67.0, Country: "AR");
        await sensor.Ingest([Reading(sensor, ClusterFixture.Clock.GetUtcNow(), location, 5)]);
        var directory = new SensorDirectory(fixture.Client);
        var query = new SensorQuery { Near = new GeoCircle(-54.5, -67.0, 5), Status = SensorStatusView.Stale };
        Assert.DoesNotContain((await directory.FindAsync(query, CancellationToken.None)).Items, s => s.Id == sensor.GetPrimaryKeyString());

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Contains((await directory.FindAsync(query, CancellationToken.None)).Items, s => s.Id == sensor.GetPrimaryKeyString());
    }

    private static Reading Reading(ISensorGrain sensor, DateTimeOffset at, SensorLocation location, double pm25) =>
        new(sensor.GetPrimaryKeyString(), at, [new Measurement(Quantity.Pm25, pm25)], location);
}
