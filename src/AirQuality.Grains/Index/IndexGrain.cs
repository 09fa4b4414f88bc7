using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>What the index grains share: their options, their state, and write-behind persistence of it.</summary>
public abstract class IndexGrain<TState> : WriteBehindGrain
    where TState : class, new()
{
    private readonly IPersistentState<TState> _stored;

    protected IndexGrain(IPersistentState<TState> stored, IOptions<SensorIndexOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _stored = stored;
        Options = options.Value;
    }

    protected SensorIndexOptions Options { get; }

    protected TState State => _stored.State;

    protected override TimeSpan PersistInterval => Options.PersistInterval;

    protected override Task WriteStateAsync() => _stored.WriteStateAsync();

    /// <summary>Reads the stored state again (to merge after a conflicting write).</summary>
    protected Task ReloadStateAsync() => _stored.ReadStateAsync();
}
