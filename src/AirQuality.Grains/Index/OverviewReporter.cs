using AirQuality.Contracts.Index;

namespace AirQuality.Grains.Index;

/// <summary>
/// Reports a grain's cell aggregate to the overview region above it, debounced: a change arms a one-shot grain
/// timer (there only while a report is pending, so a quiet grain carries none) and the timer computes the
/// aggregate then and reports it when it differs from the last one reported. Reports are absolute, so a lost
/// one is made good by the next change, or by the next activation (which reports once).
/// </summary>
internal sealed class OverviewReporter
{
    /// <summary>How far the newest last-seen time must move before it alone is worth a report.</summary>
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private readonly Grain _grain;
    private readonly IRegionIndexGrain _parent;
    private readonly Func<CellAggregate> _compute;
    private readonly TimeSpan _interval;
    private CellAggregate? _reported;
    private IGrainTimer? _timer;
    private bool _pending;

    public OverviewReporter(Grain grain, IGrainFactory grains, string cell, Func<CellAggregate> compute, TimeSpan interval)
    {
        _grain = grain;
        _parent = grains.GetGrain<IRegionIndexGrain>(cell[..^1]);
        _compute = compute;
        _interval = interval;
    }

    /// <summary>The grain's cells changed: report now (interval zero) or arm the timer.</summary>
    public Task ChangedAsync()
    {
        _pending = true;
        if (_interval == TimeSpan.Zero)
        {
            return ReportAsync();
        }

        _timer ??= _grain.RegisterGrainTimer(
            static async (reporter, _) =>
            {
                reporter._timer?.Dispose();
                reporter._timer = null;
                await reporter.ReportAsync();
            },
            this,
            new GrainTimerCreationOptions(_interval, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    /// <summary>Reports a pending change at once (on deactivation, so a graceful shutdown loses none).</summary>
    public Task FlushAsync() => _pending ? ReportAsync() : Task.CompletedTask;

    private async Task ReportAsync()
    {
        _pending = false;
        var current = _compute();
        if (!current.Differs(_reported, LastSeenResolution))
        {
            return;
        }

        try
        {
            await _parent.Report(current);
        }
        catch
        {
            _pending = true; // the next change or flush tries again
            throw;
        }

        _reported = current;
    }
}
