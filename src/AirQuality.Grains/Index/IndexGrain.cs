using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>
/// What the index grains share: write-behind persistence of their state. A change marks the state dirty
/// and arms a one-shot timer; deactivation writes whatever is dirty.
/// </summary>
public abstract class IndexGrain<TState> : Grain
    where TState : class, new()
{
    private readonly IPersistentState<TState> _stored;
    private bool _dirty;
    private IGrainTimer? _persistTimer;

    protected IndexGrain(IPersistentState<TState> stored, IOptions<SensorIndexOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _stored = stored;
        Options = options.Value;
    }

    protected SensorIndexOptions Options { get; }

    protected TState State => _stored.State;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await PersistAsync();
        }
    }

    /// <summary>Call after changing <see cref="State"/>.</summary>
    protected Task ChangedAsync()
    {
        _dirty = true;
        if (Options.PersistInterval == TimeSpan.Zero)
        {
            return PersistAsync();
        }

        _persistTimer ??= this.RegisterGrainTimer(
            static async (grain, _) =>
            {
                grain._persistTimer?.Dispose();
                grain._persistTimer = null;
                if (grain._dirty)
                {
                    await grain.PersistAsync();
                }
            },
            this,
            new GrainTimerCreationOptions(Options.PersistInterval, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    private async Task PersistAsync()
    {
        _dirty = false;
        try
        {
            await _stored.WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }
}
