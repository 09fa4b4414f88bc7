using AirQuality.Contracts;
using AirQuality.Grains.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Alerts;

/// <summary>A minute's sensors due for an alert check (see <see cref="IAlertDueGrain"/>).</summary>
public sealed class AlertDueGrain(
    [PersistentState("due", "index")] IPersistentState<AlertDueState> stored,
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
public sealed class AlertDueState
{
    [Id(0)] public HashSet<string> Sensors { get; set; } = new(StringComparer.Ordinal);
}
