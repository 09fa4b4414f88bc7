using AirQuality.Grains.Alerts;
using AirQuality.Grains.Index;
using AirQuality.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AirQuality.Grains.Hosting;

/// <summary>
/// The grain storage names the grains' <c>[PersistentState]</c> use: a silo must configure a provider for each
/// (<c>Orleans:GrainStorage:{name}:ProviderType</c>).
/// </summary>
public static class AirQualityStorage
{
    /// <summary>Sensor state: one row per sensor, written behind its readings.</summary>
    public const string Sensors = "sensors";

    /// <summary>The spatial and country index, open alerts and the alert clock: small, shared, read often.</summary>
    public const string Index = "index";
}

/// <summary>Registers the sensor, index and alert grains' services on a silo.</summary>
public static class GrainsHostingExtensions
{
    /// <summary>
    /// The grains' options (sections "Sensors", "SensorIndex", "Alerts", validated at start), the time source, the alert
    /// publisher that hands transitions to every registered <see cref="Contracts.IAlertSink"/>, and the alert clock that
    /// runs time-based checks for sensors nothing calls. Storage is the silo's own choice (<see cref="AirQualityStorage"/>).
    /// </summary>
    public static ISiloBuilder AddAirQualityGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddAirQualityGrainOptions();
        return silo.AddSensorAlerts();
    }

    /// <summary>The grains' options alone, validated at start: what an app that only calls the grains may also read.</summary>
    public static IServiceCollection AddAirQualityGrainOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<SensorGrainOptions>(SensorGrainOptions.Section, o => o.Problems());
        services.AddValidatedOptions<SensorIndexOptions>(SensorIndexOptions.Section, o => o.Problems());
        services.AddValidatedOptions<AlertOptions>(AlertOptions.Section, o => o.Problems());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
