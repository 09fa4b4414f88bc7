using AirQuality.Contracts.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>
/// One tile of the index: the summaries of the sensors standing in it, filtered here. A sensor that goes
/// quiet pushes nothing, so ONLINE turns STALE here, at query time, from its last-seen time: no timer per
/// sensor is needed to keep the status right.
/// </summary>
public sealed class TileIndexGrain(
    [PersistentState("index", "index")] IPersistentState<TileIndexState> stored,
    IOptions<SensorIndexOptions> options,
    IOptions<SensorGrainOptions> sensorOptions,
    TimeProvider time)
    : IndexGrain<TileIndexState>(stored, options), ITileIndexGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Tile ids come from the tile scheme, never from callers; this bounds activations all the same.
        if (Options.Scheme.TileProblem(this.GetPrimaryKeyString()) is { } problem)
        {
            throw new ArgumentException($"Not an index tile: {problem}");
        }

        return Task.CompletedTask;
    }

    public Task Upsert(SensorSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (State.Sensors.TryGetValue(summary.Id, out var known) && known == summary)
        {
            return Task.CompletedTask;
        }

        State.Sensors[summary.Id] = summary;
        return ChangedAsync();
    }

    public Task Remove(string sensorId) =>
        State.Sensors.Remove(sensorId) ? ChangedAsync() : Task.CompletedTask;

    public Task<TileMatches> Query(SensorQuery query, string? afterId, int limit)
    {
        var filter = SensorFilter.Create(query);
        var staleBefore = time.GetUtcNow() - sensorOptions.Value.StaleAfter;
        var count = 0;
        var after = new List<SensorSummary>();
        foreach (var stored in State.Sensors.Values)
        {
            var summary = stored.Status == Contracts.SensorStatusView.Online && stored.LastSeen < staleBefore
                ? stored with { Status = Contracts.SensorStatusView.Stale }
                : stored;
            if (!filter.Matches(summary))
            {
                continue;
            }

            count++;
            if (afterId is null || string.CompareOrdinal(summary.Id, afterId) > 0)
            {
                after.Add(summary);
            }
        }

        after.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        if (after.Count > limit)
        {
            after.RemoveRange(limit, after.Count - limit);
        }

        return Task.FromResult(new TileMatches(count, after));
    }
}
