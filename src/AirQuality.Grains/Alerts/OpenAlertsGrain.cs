using AirQuality.Contracts;
using AirQuality.Grains.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Alerts;

/// <summary>
/// How open alerts are spread over <see cref="IOpenAlertsGrain"/> shards. Sixteen: with a million sensors
/// and under 1 % of them alerting, a shard holds a few hundred to a thousand alerts (a write-behind write of
/// tens of KB, not megabytes), a storm of alerts (smoke over a region) spreads over sixteen grains instead
/// of queueing on one, and a listing asks sixteen grains in parallel, each for at most a page.
/// </summary>
public static class OpenAlertShards
{
    /// <summary>Changing it needs the index rebuilt (alerts would be looked for in the wrong shard).</summary>
    public const int Count = 16;

    /// <summary>The shard of a sensor's alerts: FNV-1a over the id (string.GetHashCode differs per process).</summary>
    public static int Of(string sensorId)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        var hash = 2166136261u;
        foreach (var c in sensorId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }

    /// <summary>The list order: newest raised first, then alert id (ordinal), so every alert has one place.</summary>
    public static int Compare(AlertView a, AlertView b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byTime = b.RaisedAt.UtcTicks.CompareTo(a.RaisedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>Whether <paramref name="alert"/> comes after <paramref name="position"/> in the list order.</summary>
    public static bool IsAfter(AlertView alert, AlertPosition position)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(position);
        var ticks = alert.RaisedAt.UtcTicks;
        return ticks < position.RaisedAtTicks
            || (ticks == position.RaisedAtTicks && string.CompareOrdinal(alert.Id, position.AlertId) > 0);
    }
}

/// <summary>A shard's persisted state: its open alerts by alert id.</summary>
[GenerateSerializer]
public sealed class OpenAlertsState
{
    [Id(0)] public Dictionary<string, AlertView> Alerts { get; set; } = [];
}

/// <summary>
/// One shard of the open alerts. Alerts change rarely next to readings, and the index can be rebuilt from
/// the sensors, so it is written behind like the spatial index (one write per interval at most).
/// </summary>
public sealed class OpenAlertsGrain(
    [PersistentState("openAlerts", "index")] IPersistentState<OpenAlertsState> stored,
    IOptions<SensorIndexOptions> options)
    : IndexGrain<OpenAlertsState>(stored, options), IOpenAlertsGrain
{
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
            return Remove(alert.Id);
        }

        if (State.Alerts.TryGetValue(alert.Id, out var known) && known == alert)
        {
            return Task.CompletedTask;
        }

        State.Alerts[alert.Id] = alert;
        return ChangedAsync();
    }

    public Task Remove(string alertId) =>
        State.Alerts.Remove(alertId) ? ChangedAsync() : Task.CompletedTask;

    public Task<AlertMatches> Query(string? sensorId, AlertStateView? state, AlertPosition? after, int limit)
    {
        var count = 0;
        var page = new List<AlertView>();
        foreach (var alert in State.Alerts.Values)
        {
            if ((sensorId is not null && !string.Equals(alert.SensorId, sensorId, StringComparison.Ordinal))
                || (state is { } s && alert.State != s))
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
}
