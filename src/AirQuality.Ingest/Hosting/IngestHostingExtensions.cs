using AirQuality.Domain.Ingest;
using AirQuality.Domain.Validation;
using AirQuality.Gateway.Auth;
using AirQuality.Hosting;
using AirQuality.Ingest.Api;
using AirQuality.Ingest.Http;
using AirQuality.Ingest.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AirQuality.Ingest.Hosting;

/// <summary>Registers and mounts the ingest pipeline, its HTTP endpoints and the REST sensor reads.</summary>
public static class IngestHostingExtensions
{
    /// <summary>
    /// The archive-then-apply pipeline with its options (sections "Ingest", "IngestLog", "Validation") and meter. It
    /// needs an <see cref="IIngestLog"/> and an <see cref="Domain.Archive.IReadingArchive"/> from a storage provider, and
    /// an <see cref="IGrainFactory"/> from a silo or a client. Call it after <c>UseOrleans</c>/<c>UseOrleansClient</c>:
    /// its hosted services (replay at start, checkpoint rounds) start in registration order and need the cluster.
    /// </summary>
    public static IServiceCollection AddAirQualityIngest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<IngestOptions>(IngestOptions.Section, o => o.Problems());
        services.AddValidatedOptions<IngestCheckpointOptions>(IngestCheckpointOptions.Section, o => o.Problems());
        services.AddOptions<ValidationOptions>().BindConfiguration("Validation");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ReadingValidator(sp.GetRequiredService<IOptions<ValidationOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ApiKeyCheck>();
        services.AddSingleton<IngestAdmission>();
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<ReadingIngestor>();
        services.AddSingleton(sp => new CheckpointTracker(sp.GetRequiredService<IIngestLog>().Checkpoint));
        services.AddSingleton<IngestCheckpointer>();

        // Replay the log's tail first, then checkpoint it from time to time and at shutdown (while the cluster still answers).
        services.AddHostedService<IngestLogReplay>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestCheckpointer>());

        // Its meter and its traces (one activity per ingest), exported wherever the app's OpenTelemetry sends them.
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(IngestMetrics.MeterName));
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddSource(IngestMetrics.MeterName));
        return services;
    }

    /// <summary>
    /// The ingest endpoints (/api/v1/readings and Sensor.Community's /v1/push-sensor-data/), which check
    /// their own keys, and the REST sensor reads under the gateway's read policy.
    /// </summary>
    public static IEndpointRouteBuilder MapAirQualityIngest(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGroup("").AsIngestAccess().MapIngest();
        endpoints.MapSensors();
        return endpoints;
    }
}
