using System.Globalization;
using System.Net;
using System.Text;

namespace AirQuality.Host.Tests;

/// <summary>Clustering and grain storage come from Orleans' own "Orleans" section, by ProviderType.</summary>
public sealed class ProviderConfigurationTests
{
    [Theory]
    [InlineData("Orleans:GrainStorage:sensors:ProviderType", "Sqlit", "Orleans:GrainStorage:sensors:ProviderType")]
    [InlineData("Orleans:GrainStorage:index:ProviderType", "Cosmos", "Orleans:GrainStorage:index:ProviderType")]
    [InlineData("Orleans:Clustering:ProviderType", "Zookeeper", "Orleans:Clustering:ProviderType")]
    [InlineData("Archive:Provider", "AzureBlobs", "Archive:Provider")]
    [InlineData("Alerts:Channels:0", "EventGrid", "Alerts:Channels")]
    public void An_unknown_provider_stops_start_up_naming_the_setting_and_the_known_ones(string setting, string value, string named)
    {
        using var host = new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string> { [setting] = value });
        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient()).ToString();
        Assert.Contains($"{named} is '{value}'", error, StringComparison.Ordinal);
        Assert.Contains("Known", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_providers_settings_come_from_its_own_section()
    {
        var data = HostFactory.NewDataDirectory();
        await using (var host = new HostFactory(data, new Dictionary<string, string> { ["Orleans:GrainStorage:sensors:DatabasePath"] = "elsewhere/sensors.db" }))
        {
            using var client = host.CreateClient();
            var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            using var body = new StringContent($$$"""{"sensorId":"configured-1","timestamp":"{{{at}}}","values":{"pm25":5}}""", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), body)).StatusCode);
            await host.CheckpointAsync(); // the sensor has written its state
        }

        // A relative path is taken from the data directory; the default file of that provider is never made.
        Assert.True(File.Exists(Path.Combine(data, "elsewhere", "sensors.db")));
        Assert.False(File.Exists(Path.Combine(data, "grains.db")));
        Assert.True(File.Exists(Path.Combine(data, "index.db")));
    }
}
