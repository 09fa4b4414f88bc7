using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// The real embedded host (silo, storage, endpoints, gateway) on a temporary data directory and loopback
/// Orleans ports of its own; extra settings configure limits or alert rules for one test class, and services
/// replace or configure components (e.g. the signing keys of bearer tokens). Every host knows one API key with
/// the mutation role, <see cref="OperatorKey"/>, made up at run time.
/// </summary>
public sealed class GatewayHost(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    /// <summary>
    /// The operator key's index in Gateway:Auth:ApiKeys: far above those a test configures itself (from 0 on),
    /// so both lists merge.
    /// </summary>
    private const int OperatorKeyIndex = 99;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("airq-gateway-test-").FullName;
    private readonly (string Silo, string Gateway) _ports = LoopbackPorts();

    /// <summary>The silo's Orleans gateway port (loopback), where a standalone gateway connects as a client.</summary>
    public int OrleansGatewayPort => int.Parse(_ports.Gateway, CultureInfo.InvariantCulture);

    public string ClusterId { get; } = $"gw-{Guid.NewGuid():N}";

    /// <summary>An API key with the role AirQuality.Operator, for tests that run mutations.</summary>
    public string OperatorKey { get; } = NewApiKey();

    /// <summary>
    /// Settings with the alert rule most gateway tests raise: "pm25-high", PM2.5 above 100 µg/m³ (cleared
    /// below 80), severity critical; plus any <paramref name="more"/>.
    /// </summary>
    public static Dictionary<string, string> WithPm25HighRule(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Alerts:Rules:0:Id"] = "pm25-high",
            ["Alerts:Rules:0:Kind"] = "QuantityAbove",
            ["Alerts:Rules:0:Quantity"] = "Pm25",
            ["Alerts:Rules:0:Threshold"] = "100",
            ["Alerts:Rules:0:ClearThreshold"] = "80",
            ["Alerts:Rules:0:Severity"] = "critical",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A fresh random key, as a client would be given one.</summary>
    public static string NewApiKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The SHA-256 of a key as configured (the hex digits of <c>printf %s "$KEY" | sha256sum</c>).</summary>
    public static string Sha256Of(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A client that sends <see cref="OperatorKey"/> with every request.</summary>
    public HttpClient CreateOperatorClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", _dataDirectory);
        builder.UseSetting("Orleans:Endpoints:SiloPort", _ports.Silo);
        builder.UseSetting("Orleans:Endpoints:GatewayPort", _ports.Gateway);
        builder.UseSetting("Orleans:ClusterId", ClusterId);
        var operatorKey = $"Gateway:Auth:ApiKeys:{OperatorKeyIndex}";
        builder.UseSetting($"{operatorKey}:Name", "test-operator");
        builder.UseSetting($"{operatorKey}:Sha256", Sha256Of(OperatorKey));
        builder.UseSetting($"{operatorKey}:Roles:0", "AirQuality.Operator");
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
