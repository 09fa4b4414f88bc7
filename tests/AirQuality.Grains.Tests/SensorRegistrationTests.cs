using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Grains.Index;

namespace AirQuality.Grains.Tests;

/// <summary>Registered metadata: kept, indexed at once, used by readings without a location, and checked.</summary>
[Collection(ClusterDefinition.Name)]
public class SensorRegistrationTests(ClusterFixture fixture)
{
    // Places no other test uses (South Georgia, Svalbard), so index queries here are exact.
    private const double GeorgiaLat = -54.28, GeorgiaLon = -36.51;
    private const double SvalbardLat = 78.22, SvalbardLon = 15.65;

    [Fact]
    public async Task A_registered_sensor_has_its_name_and_location_is_indexed_at_once_and_keeps_them_after_deactivation()
    {
        var id = $"reg-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);

        var view = await sensor.Register(new SensorRegistration
        {
            Name = "  Grytviken harbour  ",
            Latitude = GeorgiaLat,
            Longitude = GeorgiaLon,
            Altitude = 5,
            Country = "gs",
            Indoor = false,
            SensorType = "SDS011",
        });

        Assert.Equal("Grytviken harbour", view.Name);
        Assert.Equal(new LocationView(GeorgiaLat, GeorgiaLon, 5, "GS", false), view.Location);
        Assert.Equal("SDS011", view.SensorType);
        Assert.Equal(SensorStatusView.NeverSeen, view.Status);

        var directory = new SensorDirectory(fixture.Client);
        var found = Assert.Single((await directory.FindAsync(new SensorQuery { Country = "GS" })).Items, s => s.Id == id);
        Assert.Equal(SensorStatusView.NeverSeen, found.Status);

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var after = await sensor.GetView();
        Assert.Equal("Grytviken harbour", after.Name);
        Assert.Equal(view.Location, after.Location);
    }

    [Fact]
    public async Task Readings_without_a_location_use_the_registered_one_and_readings_with_one_move_the_sensor()
    {
        var id = $"reg-move-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        var now = ClusterFixture.Clock.GetUtcNow();
        await sensor.Register(new SensorRegistration { Latitude = GeorgiaLat, Longitude = GeorgiaLon, Country = "GS" });

        await sensor.Ingest([new Reading(id, now.AddMinutes(-2), [new Measurement(Quantity.Pm25, 4)])]);
        var view = await sensor.GetView();
        Assert.Equal(GeorgiaLat, view.Location!.Latitude);
        Assert.Equal(SensorStatusView.Online, view.Status);

        await sensor.Ingest([new Reading(id, now.AddMinutes(-1), [new Measurement(Quantity.Pm25, 5)], new SensorLocation(SvalbardLat, SvalbardLon, Country: "SJ"))]);

        Assert.Equal(SvalbardLat, (await sensor.GetView()).Location!.Latitude);
        var directory = new SensorDirectory(fixture.Client);
        Assert.DoesNotContain((await directory.FindAsync(new SensorQuery { Country = "GS" })).Items, s => s.Id == id);
        Assert.Contains((await directory.FindAsync(new SensorQuery { Country = "SJ" })).Items, s => s.Id == id);
    }

    [Fact]
    public async Task A_registration_without_a_location_changes_only_what_it_names_and_an_empty_name_removes_the_name()
    {
        var id = $"reg-name-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        await sensor.Register(new SensorRegistration { Latitude = SvalbardLat, Longitude = SvalbardLon, Name = "Longyearbyen" });

        var renamed = await sensor.Register(new SensorRegistration { Name = "Longyearbyen school" });
        Assert.Equal("Longyearbyen school", renamed.Name);
        Assert.Equal(SvalbardLat, renamed.Location!.Latitude);

        var unnamed = await sensor.Register(new SensorRegistration { Name = "" });
        Assert.Null(unnamed.Name);
        Assert.Equal(SvalbardLat, unnamed.Location!.Latitude);
    }

    public static TheoryData<SensorRegistration, string> BadRegistrations => new()
    {
        { new SensorRegistration { Name = new string('x', 101) }, "longer than 100" },
        { new SensorRegistration { Name = "tab\there" }, "control character" },
        { new SensorRegistration { Latitude = 91, Longitude = 0 }, "latitude 91" },
        { new SensorRegistration { Latitude = 0, Longitude = -181 }, "longitude -181" },
        { new SensorRegistration { Latitude = 0, Longitude = double.NaN }, "longitude" },
        { new SensorRegistration { Latitude = 10 }, "give both or neither" },
        { new SensorRegistration { Latitude = 10, Longitude = 10, Country = "Germany" }, "ISO 3166-1 alpha-2" },
        { new SensorRegistration { Latitude = 10, Longitude = 10, Altitude = 20_000 }, "altitude" },
        { new SensorRegistration { Indoor = true }, "part of the location" },
        { new SensorRegistration { SensorType = new string('t', 65) }, "sensorType" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_are_refused_with_a_clear_message_and_change_nothing(SensorRegistration registration, string expected)
    {
        var sensor = fixture.Client.GetGrain<ISensorGrain>($"reg-bad-{Guid.NewGuid():N}");
        await sensor.Register(new SensorRegistration { Name = "before" });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sensor.Register(registration));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var view = await sensor.GetView();
        Assert.Equal("before", view.Name);
        Assert.Null(view.Location);
    }
}
