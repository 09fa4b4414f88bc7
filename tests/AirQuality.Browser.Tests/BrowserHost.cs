using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AirQuality.Gateway.Cluster;
using AirQuality.Gateway.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Browser.Tests;

/// <summary>
/// The real embedded host (silo, storage, ingest, gateway, dashboard) on Kestrel at a free loopback port, as
/// a browser needs a real socket; a temporary data directory and Orleans ports of its own; the given
/// settings (alert rules). It serves the dashboard's run-time settings at /config.json, as a deployment
/// would, so the page asks nothing of an outside host (no tile URL) and opens on the simulated sensors.
/// </summary>
internal sealed class BrowserHost(IReadOnlyDictionary<string, string> settings, string dashboardConfigJson) : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("airq-browser-test-").FullName;

    /// <summary>The base address, e.g. http://127.0.0.1:41234/ (after <see cref="Start"/>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public AlertSubscriptionProbe AlertSubscriptions => Services.GetRequiredService<AlertSubscriptionProbe>();

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("DataDirectory", _dataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning"); // the test's own output says what happened
        var (silo, gateway) = LoopbackPorts();
        builder.UseSetting("Orleans:Endpoints:SiloPort", silo);
        builder.UseSetting("Orleans:Endpoints:GatewayPort", gateway);
        builder.UseSetting("Orleans:ClusterId", $"browser-{Guid.NewGuid():N}");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(sp => new AlertSubscriptionProbe(sp.GetRequiredService<ClusterLiveFeed>()));
            services.AddSingleton<IAlertEventSource>(sp => sp.GetRequiredService<AlertSubscriptionProbe>());
            services.AddSingleton<IStartupFilter>(new ConfigJson(dashboardConfigJson));
        });
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

    /// <summary>GET /config.json ahead of the host's own middleware.</summary>
    private sealed class ConfigJson(string json) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == "/config.json" && HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.ContentType = "application/json; charset=utf-8";
                    context.Response.Headers.CacheControl = "no-cache";
                    await context.Response.WriteAsync(json, Encoding.UTF8, context.RequestAborted);
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
