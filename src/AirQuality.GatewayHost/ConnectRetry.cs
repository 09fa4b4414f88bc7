using Microsoft.Extensions.Options;

namespace AirQuality.GatewayHost;

/// <summary>
/// Keeps the first connection to the cluster trying until <see cref="ClusterOptions.ConnectTimeout"/>: in a
/// deployment the gateway may well start before any silo does. Each failure is logged with the reason.
/// </summary>
internal sealed partial class ConnectRetry(IOptions<ClusterOptions> options, TimeProvider time, ILogger<ConnectRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);
    private long _giveUpAt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_giveUpAt == 0)
        {
            _giveUpAt = now + options.Value.ConnectTimeout.Ticks;
        }

        if (now >= _giveUpAt)
        {
            LogGaveUp(exception, options.Value.ConnectTimeout);
            return false;
        }

        LogRetrying(exception.Message);
        await Task.Delay(Pause, time, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is not reachable yet ({Reason}); trying again")]
    private partial void LogRetrying(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The cluster was not reachable within {Timeout}; giving up")]
    private partial void LogGaveUp(Exception exception, TimeSpan timeout);
}
