using Orleans.Concurrency;

namespace AirQuality.Contracts;

/// <summary>
/// One shard of the cluster's open alerts (ACTIVE, ACKNOWLEDGED), keyed 0..<c>OpenAlertShards.Count</c>-1
/// by a stable hash of the sensor id, kept up to date by the alert publisher from alert transitions.
/// Callers list through <c>OpenAlertDirectory</c>, which asks the shards and merges one page.
/// </summary>
public interface IOpenAlertsGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or replaces an open alert (raised, re-notified, acknowledged).</summary>
    Task Upsert(AlertView alert);

    /// <summary>Forgets an alert (cleared); nothing when it is not here.</summary>
    Task Remove(string alertId);

    /// <summary>
    /// The shard's open alerts matching the filters: how many, and the first <paramref name="limit"/> after
    /// <paramref name="after"/> in list order (newest raised first, then alert id).
    /// </summary>
    [ReadOnly]
    Task<AlertMatches> Query(string? sensorId, AlertStateView? state, AlertPosition? after, int limit);
}

/// <summary>Where a page ended in the open-alert order: raised time (UTC ticks) and alert id.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertPosition(
    [property: Id(0)] long RaisedAtTicks,
    [property: Id(1)] string AlertId);

/// <summary>What one shard answers: its match count, and at most a page of its matches after the cursor.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertMatches(
    [property: Id(0)] int Count,
    [property: Id(1)] IReadOnlyList<AlertView> Items);

/// <summary>
/// One page of alerts, newest raised first: the items, the cursor of the last one (opaque, for the next
/// page of the same query), whether more follow, and how many match in all.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AlertPage(
    [property: Id(0)] IReadOnlyList<AlertView> Items,
    [property: Id(1)] string? EndCursor,
    [property: Id(2)] bool HasNextPage,
    [property: Id(3)] int TotalCount);
