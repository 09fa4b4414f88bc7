using AirQuality.Contracts;
using AirQuality.Grains.Hosting;
using AirQuality.Grains.Index;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace AirQuality.Grains.Alerts;

/// <summary>A minute's sensors due for an alert check (see <see cref="IAlertDueGrain"/>).</summary>
[GrainType("alertdue")]
public sealed class AlertDueGrain(
    [PersistentState("due", AirQualityStorage.Index)] IPersistentState<AlertDueState> stored,
    IOptions<SensorIndexOptions> options)
    : IndexGrain<AlertDueState>(stored, options), IAlertDueGrain
{
    // A minute is announced to the clock once, when its first sensor arrives; a stored, non-empty minute
    // was announced before it was stored (the clock is told first).
    private bool _announced;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _announced = State.Sensors.Count > 0;
        return Task.CompletedTask;
    }

    public async Task Add(string sensorId)
    {
        if (!State.Sensors.Add(sensorId))
        {
            return;
        }

        if (!_announced)
        {
            await GrainFactory.GetGrain<IAlertClockGrain>(0).Announce(this.GetPrimaryKeyLong());
            _announced = true;
        }

        await ChangedAsync();
    }

    /// <summary>
    /// Another activation of this minute may have written meanwhile (seen once in the 2-silo tests, as an
    /// ETag conflict: an activation moving between silos). The state is a set of sensors to check, where a
    /// check too many changes nothing, so the union of both is right: read, merge, write again.
    /// </summary>
    protected override async Task WriteStateAsync()
    {
        try
        {
            await base.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            var mine = State.Sensors.ToArray();
            await ReloadStateAsync();
            State.Sensors.UnionWith(mine);
            await base.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Sensors() => Task.FromResult<IReadOnlyList<string>>([.. State.Sensors]);

    public async Task<int> Remove(IReadOnlyList<string> sensorIds)
    {
        ArgumentNullException.ThrowIfNull(sensorIds);
        foreach (var id in sensorIds)
        {
            State.Sensors.Remove(id);
        }

        await WriteNowAsync();
        if (State.Sensors.Count == 0)
        {
            _announced = false;
            DeactivateOnIdle(); // a past minute is not used again
        }

        return State.Sensors.Count;
    }
}

[GenerateSerializer]
[Alias("aq.alert.AlertDueState")]
public sealed class AlertDueState
{
    [Id(0)] public HashSet<string> Sensors { get; set; } = new(StringComparer.Ordinal);
}
