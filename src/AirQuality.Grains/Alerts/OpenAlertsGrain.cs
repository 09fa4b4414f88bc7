using AirQuality.Contracts;
using AirQuality.Grains.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Alerts;

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
