using AirQuality.Contracts;
using AirQuality.Gateway;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Export;
using AirQuality.Gateway.Web;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AirQuality.GatewayHost;

/// <summary>How the standalone gateway is put together; Program.cs only calls these.</summary>
public static class GatewayApp
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public static void AddStandaloneGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);

        var cluster = config.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        if (cluster.Problems().ToList() is { Count: > 0 } problems)
        {
            // The client's clustering is set up before the options are validated; fail with the same message.
            throw new OptionsValidationException(ClusterOptions.Section, typeof(ClusterOptions), problems);
        }

        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(cluster.ResolveGateways());
            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseConnectionRetryFilter<ConnectRetry>();
        });

        builder.Services.AddAirQualityGateway(config);

        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter("AirQuality.Gateway", "Microsoft.Orleans").AddAspNetCoreInstrumentation())
            .WithTracing(t => t.AddAspNetCoreInstrumentation());
        if (!string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithMetrics(m => m.AddOtlpExporter()).WithTracing(t => t.AddOtlpExporter());
        }
    }

    public static void MapStandaloneGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => Results.Text("ok")).AllowPublicAccess();
        app.MapGet("/readyz", ReadyAsync).AllowPublicAccess();
        app.MapExport();
        app.UseWebSockets();
        app.UseRateLimiter();
        app.UseAirQualityDashboard();
        app.MapAirQualityGateway();
    }

    /// <summary>Ready when the cluster answers a grain call (the gateway has nothing else to wait for).</summary>
    private static async Task<IResult> ReadyAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<ISensorGrain>("readiness-probe").GetView().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return Results.Text("ready");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Results.Json(new { ready = false, problems = new[] { $"cluster: {e.GetType().Name}" } }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
    {
        public ValidateOptionsResult Validate(string? name, ClusterOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
