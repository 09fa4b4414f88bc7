using System.Text;
using AirQuality.Gateway.Cluster;
using AirQuality.Gateway.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Browser.Tests;

/// <summary>
/// The real embedded host (silo, storage, ingest, gateway, dashboard) on Kestrel at a free loopback port, as
/// a browser needs a real socket; a temporary data directory and Orleans ports of its own; the given
/// settings (alert rules). It serves the dashboard's run-time settings at /config.json, as a deployment
/// would, so the page asks nothing of an outside host (no tile URL) and opens on the simulated sensors.
/// </summary>
internal sealed class BrowserHost(IReadOnlyDictionary<string, string> settings, string dashboardConfigJson)
    : HostFactory(Quiet(settings), services => AddProbeAndConfig(services, dashboardConfigJson))
{
    /// <summary>The base address, e.g. http://127.0.0.1:41234/ (after <see cref="Start"/>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public AlertSubscriptionProbe AlertSubscriptions => Services.GetRequiredService<AlertSubscriptionProbe>();

    public void Start() => BaseAddress = StartOnLoopback();

    /// <summary>The settings, with the host logging warnings only: the test's own output says what happened.</summary>
    private static Dictionary<string, string> Quiet(IReadOnlyDictionary<string, string> settings) =>
        new(settings) { ["Logging:LogLevel:Default"] = "Warning" };

    private static void AddProbeAndConfig(IServiceCollection services, string dashboardConfigJson)
    {
        services.AddSingleton(sp => new AlertSubscriptionProbe(sp.GetRequiredService<ClusterLiveFeed>()));
        services.AddSingleton<IAlertEventSource>(sp => sp.GetRequiredService<AlertSubscriptionProbe>());
        services.AddSingleton<IStartupFilter>(new ConfigJson(dashboardConfigJson));
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
