using AirQuality.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AirQuality.ServiceDefaults;

/// <summary>The telemetry, logging and health set-up every AirQuality web app starts from.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The health-check tag of checks that decide readiness (/readyz); checks without it are liveness only.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Probes GET; health checks map every method unless told.</summary>
    private static readonly HttpMethodMetadata GetOnly = new(["GET"]);

    /// <summary>
    /// Metrics and traces through OpenTelemetry for ASP.NET Core and Orleans, and for the meters and activity sources
    /// the product's libraries register themselves (ConfigureOpenTelemetryMeterProvider in their Add*), exported over
    /// OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set (a local run contacts nothing); Polly's and
    /// ASP.NET Core's chatter logged from Warning up unless configured; and the health-check service.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Defaults a configured Logging:LogLevel:<category> overrides.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter("Microsoft.Orleans").AddAspNetCoreInstrumentation())
            .WithTracing(t => t.AddAspNetCoreInstrumentation());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithMetrics(m => m.AddOtlpExporter()).WithTracing(t => t.AddOtlpExporter());
        }

        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Adds the readiness check that the cluster answers a grain call (a silo, or a client's gateways).</summary>
    public static IHealthChecksBuilder AddClusterHealthCheck(this IHealthChecksBuilder checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return checks.AddCheck<ClusterHealthCheck>("cluster", HealthStatus.Unhealthy, [ReadyTag]);
    }

    /// <summary>
    /// /healthz: the process answers ("ok"; no dependency is asked, so a slow store never gets a live process killed).
    /// /readyz: every check tagged <see cref="ReadyTag"/> passes ("ready"), else 503 with
    /// <c>{"ready":false,"problems":[...]}</c>, one short reason per failing check. Both public.
    /// </summary>
    public static IEndpointConventionBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("");
        group.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => context.Response.WriteAsync("ok"),
        }).WithMetadata(GetOnly);
        group.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthAnswers.WriteReadinessAsync,
        }).WithMetadata(GetOnly);
        return group;
    }
}
