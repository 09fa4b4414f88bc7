using Orleans.Concurrency;

namespace AirQuality.Contracts;

/// <summary>
/// One shard of the cluster's alert index, keyed 0..<c>OpenAlertShards.Count</c>-1 by a stable hash of the
/// sensor id, kept up to date by the alert publisher from alert transitions: the open alerts (ACTIVE,
/// ACKNOWLEDGED), and the recently cleared ones for a while (bounded in age and number). Callers list
/// through <c>OpenAlertDirectory</c>, which asks the shards and merges one page.
/// </summary>
[Alias("aq.alert.IOpenAlertsGrain")]
public interface IOpenAlertsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or replaces an alert in its state: open (raised, re-notified, acknowledged) or cleared.</summary>
    [Alias("Upsert")]
    Task Upsert(AlertView alert);

    /// <summary>
    /// The shard's alerts matching the filters (a null state: the open ones, ACTIVE and ACKNOWLEDGED): how
    /// many, and the first <paramref name="limit"/> after <paramref name="after"/> in list order (newest
    /// raised first, then alert id).
    /// </summary>
    [ReadOnly]
    [Alias("Query")]
    Task<AlertMatches> Query(string? sensorId, AlertStateView? state, AlertPosition? after, int limit);
}

/// <summary>Where a page ended in the open-alert order: raised time (UTC ticks) and alert id.</summary>
[GenerateSerializer, Immutable]
[Alias("aq.alert.AlertPosition")]
public sealed record AlertPosition(
    [property: Id(0)] long RaisedAtTicks,
    [property: Id(1)] string AlertId);

/// <summary>What one shard answers: its match count, and at most a page of its matches after the cursor.</summary>
[GenerateSerializer, Immutable]
[Alias("aq.alert.AlertMatches")]
public sealed record AlertMatches(
    [property: Id(0)] int Count,
    [property: Id(1)] IReadOnlyList<AlertView> Items);

/// <summary>
/// One page of alerts, newest raised first: the items, the cursor of the last one (opaque, for the next
/// page of the same query), whether more follow, and how many match in all.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.alert.AlertPage")]
public sealed record AlertPage(
    [property: Id(0)] IReadOnlyList<AlertView> Items,
    [property: Id(1)] string? EndCursor,
    [property: Id(2)] bool HasNextPage,
    [property: Id(3)] int TotalCount);
