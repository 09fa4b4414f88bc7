using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Alerts;

/// <summary>
/// Ticks the cluster's alert clock from this silo every <see cref="AlertOptions.ClockInterval"/>
/// (<see cref="AlertChecks.RunDueAsync"/>). Every silo ticks, so the clock keeps going whichever silo is lost.
/// </summary>
public sealed partial class AlertClockService(
    IGrainFactory grains,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertClockService> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(AlertClockService), ServiceLifecycleStage.Active, Start, Stop);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ClockInterval, time, _stopping.Token);
                var checkedSensors = await AlertChecks.RunDueAsync(grains, logger, _stopping.Token);
                if (checkedSensors > 0)
                {
                    LogTicked(checkedSensors);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogTickFailed(ex); // the next tick picks up where this one stopped
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert clock checked {Count} sensors")]
    private partial void LogTicked(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert clock tick failed")]
    private partial void LogTickFailed(Exception exception);
}

public static class SensorAlertsRegistration
{
    /// <summary>
    /// What sensor grains need for alerts: the publisher that hands transitions to the registered
    /// <see cref="AirQuality.Contracts.IAlertSink"/>s, and time-based checks (offline, end of sustain,
    /// re-notify) for sensors nothing calls: every silo ticks the cluster's alert clock. The clock's grains
    /// need grain storage named "index".
    /// </summary>
    public static ISiloBuilder AddSensorAlerts(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<AlertPublisher>();
        silo.Services.AddSingleton<AlertClockService>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AlertClockService>());
        return silo;
    }
}
