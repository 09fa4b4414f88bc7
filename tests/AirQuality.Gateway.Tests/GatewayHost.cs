using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// The real embedded host (silo, storage, endpoints, gateway) on a temporary data directory and loopback
/// Orleans ports of its own; extra settings configure limits or alert rules for one test class.
/// </summary>
public sealed class GatewayHost(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("airq-gateway-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", _dataDirectory);
        var (silo, gateway) = LoopbackPorts();
        builder.UseSetting("Orleans:SiloPort", silo);
        builder.UseSetting("Orleans:GatewayPort", gateway);
        builder.UseSetting("Orleans:ClusterId", $"gw-{Guid.NewGuid():N}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Posts one reading through the ingest API, as a device would.</summary>
    public static async Task PostReadingAsync(HttpClient client, string sensorId, DateTimeOffset at, double pm25, (double Lat, double Lon, string Country)? location = null)
    {
        var where = location is { } l
            ? string.Create(CultureInfo.InvariantCulture, $",\"location\":{{\"latitude\":{l.Lat},\"longitude\":{l.Lon},\"country\":\"{l.Country}\"}}")
            : "";
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"sensorId\":\"{sensorId}\",\"timestamp\":\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\",\"values\":{{\"pm25\":{pm25}}}{where}}}");
        using var response = await client.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean up; the next run uses a new directory.
        }
    }

    /// <summary>Two free loopback ports, both held while the second is chosen so they cannot be the same one.</summary>
    private static (string Silo, string Gateway) LoopbackPorts()
    {
        using var silo = new TcpListener(IPAddress.Loopback, 0);
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        silo.Start();
        gateway.Start();
        return (((IPEndPoint)silo.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture),
            ((IPEndPoint)gateway.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture));
    }
}
