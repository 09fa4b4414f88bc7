using System.Diagnostics.Metrics;
using AirQuality.Alerts.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>
/// The alert counters of one service provider's meters (other hosts run in parallel in this process), with
/// waits that end when a counter reaches a total: tests synchronise on what the delivery loop records.
/// </summary>
public sealed class AlertCounters : IDisposable
{
    public const string Delivered = "airq.alerts.delivered";
    public const string Retried = "airq.alerts.retried";
    public const string DeadLettered = "airq.alerts.dead_lettered";
    public const string Pruned = "airq.alerts.pruned";

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _totals = [];
    private readonly List<(string Name, long Total, TaskCompletionSource Reached)> _waits = [];

    public AlertCounters(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AlertMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    public long this[string name]
    {
        get
        {
            lock (_gate)
            {
                return _totals.GetValueOrDefault(name);
            }
        }
    }

    /// <summary>Completes when the counter has reached <paramref name="total"/>; the timeout only guards against a hang.</summary>
    public Task WaitForAsync(string name, long total)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_totals.GetValueOrDefault(name) >= total)
            {
                return Task.CompletedTask;
            }

            _waits.Add((name, total, reached));
        }

        return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void Add(string name, long value)
    {
        lock (_gate)
        {
            var total = _totals[name] = _totals.GetValueOrDefault(name) + value;
            foreach (var wait in _waits.Where(w => w.Name == name && total >= w.Total).ToList())
            {
                _waits.Remove(wait);
                wait.Reached.SetResult();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
