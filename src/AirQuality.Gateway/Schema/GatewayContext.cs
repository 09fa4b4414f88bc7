using AirQuality.Gateway.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Schema;

/// <summary>What the resolvers read from: the grains, the limits, and the optional sources the host registers.</summary>
public sealed class GatewayContext(IServiceProvider services, IOptions<GatewayOptions> options)
{
    public GatewayOptions Options { get; } = options.Value;

    /// <summary>Resolved on first use: in the embedded host the silo's factory exists only once it has started.</summary>
    public IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();

    public ISensorDirectoryQuery? Directory => services.GetService<ISensorDirectoryQuery>();

    public IAlertEventSource? AlertEvents => services.GetService<IAlertEventSource>();

    public ISensorUpdateSource? SensorUpdates => services.GetService<ISensorUpdateSource>();

    public IAlertDirectoryQuery? AlertDirectory => services.GetService<IAlertDirectoryQuery>();
}
