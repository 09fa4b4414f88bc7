using AirQuality.Contracts.Index;
using AirQuality.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>
/// One tile of the index: the summaries of the sensors standing in it, filtered here. A sensor that goes
/// quiet pushes nothing, so ONLINE turns STALE here, at query time, from its last-seen time: no timer per
/// sensor is needed to keep the status right. It also reports its aggregate (count, centroid, statuses, worst
/// and mean index) to the overview region above it, debounced (see <see cref="OverviewReporter"/>).
/// </summary>
[GrainType("tileindex")]
public sealed class TileIndexGrain(
    [PersistentState("index", AirQualityStorage.Index)] IPersistentState<TileIndexState> stored,
    IOptions<SensorIndexOptions> options,
    IOptions<SensorGrainOptions> sensorOptions,
    TimeProvider time)
    : IndexGrain<TileIndexState>(stored, options), ITileIndexGrain
{
    private OverviewReporter? _overview;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Tile ids come from the tile scheme, never from callers; this bounds activations all the same.
        var tile = this.GetPrimaryKeyString();
        if (Options.Scheme.TileProblem(tile) is { } problem)
        {
            throw new ArgumentException($"Not an index tile: {problem}");
        }

        if (tile.Length < 2)
        {
            return Task.CompletedTask; // tiles of one character are the coarsest cells there are: nothing above them
        }

        _overview = new OverviewReporter(this, GrainFactory, tile, Aggregate, Options.OverviewInterval);

        // Once per activation: fills in a region that missed a report (a crash, or tiles older than the overview).
        return State.Sensors.Count > 0 ? _overview.ChangedAsync() : Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_overview is not null)
        {
            await _overview.FlushAsync();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task Upsert(SensorSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (State.Sensors.TryGetValue(summary.Id, out var known) && known == summary)
        {
            return Task.CompletedTask;
        }

        State.Sensors[summary.Id] = summary;
        return ChangedAndReportedAsync();
    }

    public Task Remove(string sensorId) =>
        State.Sensors.Remove(sensorId) ? ChangedAndReportedAsync() : Task.CompletedTask;

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

    private async Task ChangedAndReportedAsync()
    {
        await ChangedAsync();
        if (_overview is not null)
        {
            await _overview.ChangedAsync();
        }
    }

    private CellAggregate Aggregate() =>
        CellAggregate.Of(this.GetPrimaryKeyString(), State.Sensors.Values, time.GetUtcNow() - sensorOptions.Value.StaleAfter);
}
