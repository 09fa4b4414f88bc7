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
using AirQuality.Hosting;
using AirQuality.Ingest.Hosting;
using AirQuality.Ingest.Pipeline;
using AirQuality.ServiceDefaults;
using AirQuality.Silo;
using AirQuality.Storage.Local;
using AirQuality.Storage.Local.Hosting;
using AirQuality.Storage.Local.IngestLog;
using Microsoft.Extensions.Options;

namespace AirQuality.Host;

/// <summary>How the embedded host is put together; Program.cs only calls these.</summary>
public static class HostSetup
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The reading archives this app ships, by the name <c>Archive:Provider</c> gives (default File).</summary>
    public static readonly IReadOnlyDictionary<string, Action<IServiceCollection>> ArchiveProviders = new Dictionary<string, Action<IServiceCollection>>
    {
        ["File"] = services => services.AddFileReadingArchive(),
    };

    /// <summary>
    /// The silo (grains, storage chosen by configuration, alert delivery), the GraphQL gateway and the ingest pipeline
    /// on local files, each library registering its own options (validated at start) and local defaults that just work.
    /// </summary>
    public static void AddAirQualityHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var dataDirectory = DataDirectory.Resolve(config["DataDirectory"]);
        builder.AddServiceDefaults();

        builder.AddAirQualitySilo();

        // The GraphQL gateway, mounted in this process at the same URLs it has when it runs on its own.
        builder.Services.AddAirQualityGateway(config);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));

        // After the silo (hosted services start in order, and the HTTP server after all of them): the ingest log (a 2xx
        // means the readings are in it), the archive, and the pipeline, which replays the log's tail first, then
        // checkpoints it from time to time and at shutdown (while the silo still runs).
        builder.Services.AddFileIngestLog();
        builder.Services.AddSelectedProvider(config, "Archive:Provider", "File", ArchiveProviders);
        builder.Services.AddAirQualityIngest();
    }

    public static void MapAirQualityEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStorageFailureAnswers();
        // Every endpoint names its access class (Gateway/Auth/EndpointAccess): health is public, ingest checks its own keys.
        app.MapHealthEndpoints().AllowPublicAccess();
        app.MapAirQualityIngest();
        app.MapExport();
        app.UseWebSockets();
        app.UseRateLimiter();
        app.UseAirQualityDashboard();
        app.MapAirQualityGateway();
    }
}
