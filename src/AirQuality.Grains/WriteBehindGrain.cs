namespace AirQuality.Grains;

/// <summary>
/// Write-behind persistence for grains whose state changes often: a change marks the state dirty and arms
/// a one-shot timer (there only while a write is pending, so an idle grain carries no timer); the timer,
/// or deactivation (a graceful shutdown included), writes it. An interval of zero writes on every change.
/// </summary>
public abstract class WriteBehindGrain : Grain
{
    private bool _dirty;
    private IGrainTimer? _writeTimer;

    /// <summary>How long a change may wait before it is written.</summary>
    protected abstract TimeSpan PersistInterval { get; }

    /// <summary>
    /// Whether the wait is stretched by a random part of half an interval, so grains changed together
    /// (thousands of sensors in one batch) do not all write in the same instant.
    /// </summary>
    protected virtual bool SpreadWrites => false;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await WriteNowAsync();
        }
    }

    /// <summary>Call after changing the state: writes now (interval zero) or arms the write-behind timer.</summary>
    protected Task ChangedAsync()
    {
        _dirty = true;
        if (PersistInterval == TimeSpan.Zero)
        {
            return WriteNowAsync();
        }

        if (_writeTimer is null)
        {
            var delay = SpreadWrites
                ? PersistInterval + TimeSpan.FromTicks(Random.Shared.NextInt64(PersistInterval.Ticks / 2))
                : PersistInterval;
            _writeTimer = this.RegisterGrainTimer(
                static async (grain, _) =>
                {
                    grain._writeTimer?.Dispose();
                    grain._writeTimer = null;
                    if (grain._dirty)
                    {
                        await grain.WriteNowAsync();
                    }
                },
                this,
                new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes the state now if it changed since it was last written; otherwise does nothing.</summary>
    protected Task WriteIfChangedAsync() => _dirty ? WriteNowAsync() : Task.CompletedTask;

    /// <summary>Writes the state at once, whatever the interval (for changes a person made).</summary>
    protected async Task WriteNowAsync()
    {
        _dirty = false;
        try
        {
            await WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }

    /// <summary>Writes the grain's state to storage.</summary>
    protected abstract Task WriteStateAsync();
}
