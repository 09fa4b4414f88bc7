using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AirQuality.Domain.Readings;

namespace AirQuality.Contracts;

/// <summary>
/// Lists the cluster's open alerts (the GraphQL <c>alerts(sensorId, state, first, after)</c>): asks the
/// shards in parallel (one shard when a sensor is named), each for its count and at most a page after the
/// cursor, and merges one page, newest raised first. A plain class, usable from a silo or a client.
/// </summary>
public sealed class OpenAlertDirectory
{
    public const int DefaultFirst = 50;
    public const int MaxFirst = 500;

    private readonly IGrainFactory _grains;

    public OpenAlertDirectory(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
    }

    /// <summary>The cursor that continues a listing after <paramref name="alert"/> (for per-edge cursors).</summary>
    public static string CursorOf(string? sensorId, AlertStateView? state, AlertView alert) => AlertCursor.Encode(sensorId, state, alert);

    /// <summary>
    /// One page of alerts, filtered by sensor and state (ACTIVE, ACKNOWLEDGED, or CLEARED for the recently
    /// cleared ones the index keeps; null: the open ones, ACTIVE and ACKNOWLEDGED).
    /// <paramref name="first"/> is clamped to 1..<see cref="MaxFirst"/>; <paramref name="after"/> is the end
    /// cursor of the previous page of the same query. <see cref="ArgumentException"/> for a bad sensor id
    /// or a cursor of another query.
    /// </summary>
    public async Task<AlertPage> ListAsync(string? sensorId, AlertStateView? state, int first, string? after, CancellationToken cancellationToken = default)
    {
        if (sensorId is not null && SensorId.Problem(sensorId) is { } problem)
        {
            throw new ArgumentException($"Invalid sensorId: {problem}.");
        }

        if (state is { } s && !Enum.IsDefined(s))
        {
            throw new ArgumentException($"Unknown alert state {s}.");
        }

        first = Math.Clamp(first, 1, MaxFirst);
        var position = after is null ? null : AlertCursor.Decode(sensorId, state, after);
        IReadOnlyList<int> shards = sensorId is null ? Enumerable.Range(0, OpenAlertShards.Count).ToArray() : [OpenAlertShards.Of(sensorId)];
        var answers = await Task.WhenAll(shards.Select(shard =>
            _grains.GetGrain<IOpenAlertsGrain>(shard).Query(sensorId, state, position, first + 1)))
            .WaitAsync(cancellationToken);

        var merged = answers.SelectMany(a => a.Items).ToList();
        merged.Sort(OpenAlertShards.Compare);
        var hasNext = merged.Count > first;
        if (hasNext)
        {
            merged.RemoveRange(first, merged.Count - first);
        }

        var endCursor = merged.Count > 0 ? AlertCursor.Encode(sensorId, state, merged[^1]) : after;
        return new AlertPage(merged, endCursor, hasNext, answers.Sum(a => a.Count));
    }
}

/// <summary>
/// Open-alert page cursors: base64url of "filters|raisedTicks|alertId". The filters are part of it so a
/// cursor only continues the query it came from.
/// </summary>
internal static class AlertCursor
{
    public static string Encode(string? sensorId, AlertStateView? state, AlertView last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"{Filters(sensorId, state)}|{last.RaisedAt.UtcTicks}|{last.Id}")));

    public static AlertPosition Decode(string? sensorId, AlertStateView? state, string cursor)
    {
        const string NotOurs = "The 'after' cursor is not a cursor this service issued.";
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new ArgumentException(NotOurs);
        }

        var parts = text.Split('|', 4);
        if (parts.Length != 4 || parts[3].Length == 0
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new ArgumentException(NotOurs);
        }

        if (!string.Equals($"{parts[0]}|{parts[1]}", Filters(sensorId, state), StringComparison.Ordinal))
        {
            throw new ArgumentException("The 'after' cursor belongs to a different query: repeat the query it came from, or start again without 'after'.");
        }

        return new AlertPosition(ticks, parts[3]);
    }

    // Sensor ids cannot hold '|' (see SensorId), so the fields cannot run into each other.
    private static string Filters(string? sensorId, AlertStateView? state) =>
        $"{sensorId ?? "*"}|{state?.ToString() ?? "*"}";
}
