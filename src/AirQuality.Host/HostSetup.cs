using AirQuality.Alerts.Hosting;
using AirQuality.Alerts.Webhooks.Hosting;
using AirQuality.Domain.Archive;
using AirQuality.Domain.Ingest;
using AirQuality.Domain.Validation;
using AirQuality.Gateway;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Export;
using AirQuality.Gateway.Web;
using AirQuality.Grains;
using AirQuality.Grains.Alerts;
using AirQuality.Host.Health;
using AirQuality.Ingest.Hosting;
using AirQuality.Ingest.Pipeline;
using AirQuality.Storage.Local;
using AirQuality.Storage.Local.Hosting;
using AirQuality.Storage.Local.IngestLog;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AirQuality.Host;

/// <summary>How the embedded host is put together; Program.cs only calls these.</summary>
public static class HostSetup
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Registers every component with its options (validated at start-up) and local defaults that just work.</summary>
    public static void AddAirQualityHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var dataDirectory = DataDirectory.Resolve(config["DataDirectory"]);

        AddValidated<SensorGrainOptions>(builder.Services, SensorGrainOptions.Section, o => o.Problems());
        AddValidated<SiloOptions>(builder.Services, SiloOptions.Section, o => o.Problems());
        AddValidated<AlertOptions>(builder.Services, AlertOptions.Section, o => o.Problems());
        AddValidated<AirQuality.Grains.Index.SensorIndexOptions>(builder.Services, AirQuality.Grains.Index.SensorIndexOptions.Section, o => o.Problems());
        // Alert changes to the webhooks through the durable outbox (<DataDirectory>/alerts.db), opened before the silo starts.
        builder.Services.AddAirQualityAlerts();
        builder.Services.AddWebhookAlerts();
        builder.Services.AddSqliteAlertOutbox();

        // The GraphQL gateway, mounted in this process at the same URLs it has when it runs on its own.
        builder.Services.AddAirQualityGateway(config);

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddSingleton(TimeProvider.System);

        // The ingest log: a 2xx means the readings are in it; a restart replays what follows its checkpoint.
        AddValidated<FileIngestLogOptions>(builder.Services, FileIngestLogOptions.Section, o => o.Problems());
        builder.Services.PostConfigure<FileIngestLogOptions>(o => o.Directory ??= Path.Combine(dataDirectory, FileIngestLogOptions.DefaultDirectoryName));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FileIngestLogOptions>>().Value;
            return new FileIngestLog(options.Directory!, options.SegmentBytes, sp.GetRequiredService<ILogger<FileIngestLog>>());
        });
        builder.Services.AddSingleton<IIngestLog>(sp => sp.GetRequiredService<FileIngestLog>());

        AddValidated<FileReadingArchiveOptions>(builder.Services, FileReadingArchiveOptions.Section, o => o.Problems());
        builder.Services.PostConfigure<FileReadingArchiveOptions>(o => o.Directory ??= Path.Combine(dataDirectory, "archive"));
        builder.Services.AddSingleton(sp => new FileReadingArchive(
            sp.GetRequiredService<IOptions<FileReadingArchiveOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FileReadingArchive>>()));
        builder.Services.AddSingleton<IReadingArchive>(sp => sp.GetRequiredService<FileReadingArchive>());

        var silo = config.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        builder.UseOrleans(orleans =>
        {
            orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: silo.ServiceId, clusterId: silo.ClusterId);
            orleans.AddSqliteGrainStorage("sensors", o => o.DatabasePath = Path.Combine(dataDirectory, "grains.db"));
            orleans.AddSqliteGrainStorage("index", o => o.DatabasePath = Path.Combine(dataDirectory, "index.db"));
            orleans.AddSensorAlerts();
        });

        // After the silo (hosted services start in order, and the HTTP server after all of them): the pipeline replays
        // the log first, then checkpoints it from time to time and at shutdown (while the silo still runs).
        builder.Services.AddAirQualityIngest();

        // Metrics and traces through OpenTelemetry; exported over OTLP only when an endpoint is configured
        // (OTEL_EXPORTER_OTLP_ENDPOINT), so a local run contacts nothing.
        var otel = builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(IngestMetrics.MeterName, AirQuality.Alerts.Delivery.AlertMetrics.MeterName, "AirQuality.Gateway", "Microsoft.Orleans").AddAspNetCoreInstrumentation())
            .WithTracing(t => t.AddSource(IngestMetrics.MeterName).AddAspNetCoreInstrumentation());
        if (!string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithMetrics(m => m.AddOtlpExporter()).WithTracing(t => t.AddOtlpExporter());
        }

        // Activations are shed under memory pressure (a flood of new sensor ids must not take the process down):
        // past MemoryUsageLimitPercentage of the machine's memory the silo deactivates the least recently used
        // grains (they write their state first) until usage is back at the target. Tunable under
        // Orleans:GrainCollection (CollectionAge, MemoryUsageLimitPercentage, MemoryUsageTargetPercentage).
        builder.Services.AddOptions<Orleans.Configuration.GrainCollectionOptions>()
            .Configure(o =>
            {
                o.EnableActivationSheddingOnMemoryPressure = true;
                o.MemoryUsageLimitPercentage = 85;
                o.MemoryUsageTargetPercentage = 70;
            })
            .BindConfiguration("Orleans:GrainCollection");

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
    }

    public static void MapAirQualityEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStorageFailureAnswers();
        // Every endpoint names its access class (Gateway/Auth/EndpointAccess): health is public, ingest checks its own keys.
        app.MapGroup("").AllowPublicAccess().MapHealth();
        app.MapAirQualityIngest();
        app.MapExport();
        app.UseWebSockets();
        app.UseRateLimiter();
        app.UseAirQualityDashboard();
        app.MapAirQualityGateway();
    }

    private static void AddValidated<T>(IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidator<T>(problems));
    }

    /// <summary>Reports every problem by name, so a bad setting fails start-up with a message that says which.</summary>
    private sealed class ProblemsValidator<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
