using AirQuality.Contracts;
using AirQuality.Grains.Hosting;
using AirQuality.Grains.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Alerts;

/// <summary>A shard's persisted state: its open alerts, and its recently cleared ones, by alert id.</summary>
[GenerateSerializer]
[Alias("aq.alert.OpenAlertsState")]
public sealed class OpenAlertsState
{
    [Id(0)] public Dictionary<string, AlertView> Alerts { get; set; } = [];

    [Id(1)] public Dictionary<string, AlertView> Cleared { get; set; } = [];
}

/// <summary>
/// One shard of the open alerts. Alerts change rarely next to readings, and the index can be rebuilt from
/// the sensors, so it is written behind like the spatial index (one write per interval at most).
/// </summary>
[GrainType("openalerts")]
public sealed class OpenAlertsGrain(
    [PersistentState("openAlerts", AirQualityStorage.Index)] IPersistentState<OpenAlertsState> stored,
    IOptions<SensorIndexOptions> options,
    IOptions<AlertOptions> alertOptions,
    TimeProvider time)
    : IndexGrain<OpenAlertsState>(stored, options), IOpenAlertsGrain
{
    private readonly AlertOptions _alertOptions = alertOptions.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyLong();
        if (key is < 0 or >= OpenAlertShards.Count)
        {
            throw new ArgumentException($"Not an open-alerts shard: {key} is outside 0..{OpenAlertShards.Count - 1}.");
        }

        return Task.CompletedTask;
    }

    public Task Upsert(AlertView alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.State == AlertStateView.Cleared)
        {
            State.Alerts.Remove(alert.Id);
            State.Cleared[alert.Id] = alert;
            KeepClearedBounded();
            return ChangedAsync();
        }

        if (State.Alerts.TryGetValue(alert.Id, out var known) && known == alert)
        {
            return Task.CompletedTask;
        }

        State.Alerts[alert.Id] = alert;
        return ChangedAsync();
    }

    public Task<AlertMatches> Query(string? sensorId, AlertStateView? state, AlertPosition? after, int limit)
    {
        // A read only: cleared alerts past the retention are skipped here and forgotten at the next change.
        var oldestCleared = time.GetUtcNow() - _alertOptions.ClearedRetention;
        var count = 0;
        var page = new List<AlertView>();
        foreach (var alert in state == AlertStateView.Cleared ? State.Cleared.Values : State.Alerts.Values)
        {
            if ((sensorId is not null && !string.Equals(alert.SensorId, sensorId, StringComparison.Ordinal))
                || (state is { } s && alert.State != s)
                || (alert.State == AlertStateView.Cleared && (alert.ClearedAt ?? alert.RaisedAt) < oldestCleared))
            {
                continue;
            }

            count++;
            if (after is null || OpenAlertShards.IsAfter(alert, after))
            {
                page.Add(alert);
            }
        }

        page.Sort(OpenAlertShards.Compare);
        if (page.Count > limit)
        {
            page.RemoveRange(limit, page.Count - limit);
        }

        return Task.FromResult(new AlertMatches(count, page));
    }

    /// <summary>Forgets cleared alerts past the retention, then the oldest cleared over the cap; true when any went.</summary>
    private bool KeepClearedBounded()
    {
        var before = State.Cleared.Count;
        var oldest = time.GetUtcNow() - _alertOptions.ClearedRetention;
        foreach (var (id, alert) in State.Cleared)
        {
            if ((alert.ClearedAt ?? alert.RaisedAt) < oldest)
            {
                State.Cleared.Remove(id);
            }
        }

        var excess = State.Cleared.Count - _alertOptions.ClearedPerShard;
        if (excess > 0)
        {
            foreach (var alert in State.Cleared.Values.OrderBy(a => a.ClearedAt ?? a.RaisedAt).Take(excess).ToArray())
            {
                State.Cleared.Remove(alert.Id);
            }
        }

        return State.Cleared.Count != before;
    }
}
