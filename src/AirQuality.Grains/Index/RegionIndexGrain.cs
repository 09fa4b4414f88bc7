using AirQuality.Contracts.Index;
using AirQuality.Domain.Spatial;
using AirQuality.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>
/// One region of the overview (a geohash shorter than a tile): the aggregates its cells report, persisted
/// with write-behind as the other index grains are (a region is at most 32 small records, and rebuilding it
/// would mean finding every tile, which nothing lists). Regions longer than one character report their own
/// total to the region above, debounced as tiles do, so the whole world is 32 grains at the top.
/// </summary>
[GrainType("regionindex")]
public sealed class RegionIndexGrain(
    [PersistentState("index", AirQualityStorage.Index)] IPersistentState<RegionIndexState> stored,
    IOptions<SensorIndexOptions> options,
    IOptions<SensorGrainOptions> sensorOptions,
    TimeProvider time)
    : IndexGrain<RegionIndexState>(stored, options), IRegionIndexGrain
{
    private OverviewReporter? _overview;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Region keys come from the tiles and the overview planner; this bounds activations all the same.
        var region = this.GetPrimaryKeyString();
        if (RegionProblem(region, Options.TilePrecision) is { } problem)
        {
            throw new ArgumentException($"Not an overview region: {problem}");
        }

        if (region.Length > 1)
        {
            _overview = new OverviewReporter(this, GrainFactory, region, Total, Options.OverviewInterval);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_overview is not null)
        {
            await _overview.FlushAsync();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task Report(CellAggregate cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var region = this.GetPrimaryKeyString();
        if (cell.Cell.Length != region.Length + 1 || !cell.Cell.StartsWith(region, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Cell '{cell.Cell}' is not one character inside region '{region}'.");
        }

        var changed = cell.Count == 0
            ? State.Cells.Remove(cell.Cell)
            : !State.Cells.TryGetValue(cell.Cell, out var known) || known != cell;
        if (!changed)
        {
            return;
        }

        if (cell.Count > 0)
        {
            State.Cells[cell.Cell] = cell;
        }

        await ChangedAsync();
        if (_overview is not null)
        {
            await _overview.ChangedAsync();
        }
    }

    public Task<IReadOnlyList<CellAggregate>> Cells()
    {
        var staleBefore = StaleBefore();
        var cells = State.Cells.Values.Select(c => c.AsOf(staleBefore)).OrderBy(c => c.Cell, StringComparer.Ordinal).ToArray();
        return Task.FromResult<IReadOnlyList<CellAggregate>>(cells);
    }

    private CellAggregate Total()
    {
        var staleBefore = StaleBefore();
        return CellAggregate.Merge(this.GetPrimaryKeyString(), State.Cells.Values.Select(c => c.AsOf(staleBefore)));
    }

    /// <summary>Null when <paramref name="region"/> is a lower-case geohash shorter than a tile; otherwise why not.</summary>
    public static string? RegionProblem(string? region, int tilePrecision) =>
        Geohash.Problem(region) is { } problem ? problem
        : region!.Length >= tilePrecision ? $"region '{region}' is not shorter than a tile ({tilePrecision} characters)"
        : !string.Equals(region, region.ToLowerInvariant(), StringComparison.Ordinal) ? $"region '{region}' is not lower case"
        : null;

    private DateTimeOffset StaleBefore() => time.GetUtcNow() - sensorOptions.Value.StaleAfter;
}
