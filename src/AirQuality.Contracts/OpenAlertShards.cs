namespace AirQuality.Contracts;

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
