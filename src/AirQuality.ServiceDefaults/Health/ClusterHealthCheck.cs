using AirQuality.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AirQuality.ServiceDefaults.Health;

/// <summary>Ready when the cluster serves a grain call that touches storage (activating a sensor reads its state).</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<ISensorGrain>("readiness-probe").GetView().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: a readiness answer is public and must not carry internals.
            return HealthCheckResult.Unhealthy($"cluster: {e.GetType().Name}");
        }
    }
}
