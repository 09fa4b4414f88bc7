using AirQuality.Gateway.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AirQuality.Gateway.Cluster;

public static class ClusterDataExtensions
{
    /// <summary>
    /// The gateway's data from the Orleans cluster through the <see cref="IGrainFactory"/> in DI (a silo's or
    /// a client's): the sensor and alert directories, and the live feeds. Each is added only when nothing
    /// else was registered for it first.
    /// </summary>
    public static IServiceCollection AddGatewayClusterData(this IServiceCollection services)
    {
        services.TryAddSingleton<ISensorDirectoryQuery, ClusterSensorQuery>();
        services.TryAddSingleton<IAlertDirectoryQuery, ClusterAlertQuery>();
        services.TryAddSingleton<ClusterLiveFeed>();
        services.TryAddSingleton<ISensorUpdateSource>(sp => sp.GetRequiredService<ClusterLiveFeed>());
        services.TryAddSingleton<IAlertEventSource>(sp => sp.GetRequiredService<ClusterLiveFeed>());
        return services;
    }
}
