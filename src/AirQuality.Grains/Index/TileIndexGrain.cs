using AirQuality.Contracts.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>One tile of the index: the summaries of the sensors standing in it, filtered here.</summary>
public sealed class TileIndexGrain(
    [PersistentState("index", "index")] IPersistentState<TileIndexState> stored,
    IOptions<SensorIndexOptions> options)
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
        var count = 0;
        var after = new List<SensorSummary>();
        foreach (var summary in State.Sensors.Values)
        {
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
