using AirQuality.Domain.Spatial;

namespace AirQuality.Contracts.Index;

/// <summary>The overview's answer: the precision its cells have, and the non-empty cells meeting the box.</summary>
public sealed record OverviewAnswer(int Precision, IReadOnlyList<CellAggregate> Cells);

/// <summary>
/// Answers "how many sensors where, how bad" for any box up to the whole world from the region grains
/// (<see cref="IRegionIndexGrain"/>), never from the tiles: cells of precision p are read from the regions of
/// precision p - 1 covering the box (at most <see cref="MaxRegions"/> of them), cells of precision 1 from the
/// 32 regions of precision 1. So the whole world costs 32 grain calls at precision 1 or 2, and a query at tile
/// precision at most <see cref="MaxRegions"/>. A plain class: use it from a gateway or the host.
/// </summary>
public sealed class SensorOverview
{
    /// <summary>Without a precision, the finest whose cells covering the box are at most this many.</summary>
    public const int MaxDefaultCells = 1024;

    private readonly IGrainFactory _grains;
    private readonly TileScheme _scheme;
    private readonly int _maxParallel;

    public SensorOverview(IGrainFactory grains, TileScheme? scheme = null, int maxRegions = 128, int maxParallel = 16)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRegions, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        _grains = grains;
        _scheme = scheme ?? TileScheme.Default;
        MaxRegions = maxRegions;
        _maxParallel = maxParallel;
    }

    /// <summary>The most region grains one query reads (at tile precision; coarser ones read at most 32).</summary>
    public int MaxRegions { get; }

    /// <summary>The finest precision cells can have: the tiles'.</summary>
    public int MaxPrecision => _scheme.Precision;

    /// <summary>
    /// The cells of <paramref name="precision"/> (default: see <see cref="MaxDefaultCells"/>) meeting
    /// <paramref name="box"/>, ordinally by key; a <see cref="SensorQueryException"/> for a precision out of
    /// range, or a box too large for the precision asked.
    /// </summary>
    public async Task<OverviewAnswer> CellsAsync(BoundingBox box, int? precision, CancellationToken cancellationToken = default)
    {
        if (MaxPrecision < 2)
        {
            throw new SensorQueryException("The sensor index has no overview: its tiles are too coarse (precision 1).");
        }

        var p = precision ?? DefaultPrecision(box);
        if (p < 1 || p > MaxPrecision)
        {
            throw new SensorQueryException($"precision must be between 1 and {MaxPrecision} geohash characters (got {p}).");
        }

        // Cells of precision p are the children of the regions one character shorter; precision 1 cells are
        // the regions of precision 1 themselves, merged from their children.
        var level = Math.Max(1, p - 1);
        IReadOnlyList<string> regions;
        try
        {
            regions = new TileScheme(level, level == 1 ? 32 : MaxRegions).TilesCovering(box);
        }
        catch (ArgumentException e)
        {
            throw new SensorQueryException(
                $"Area too large for precision {p}: it meets {new TileScheme(level).CountTiles(box)} overview regions, more than the {MaxRegions} a query may read; ask for precision {p - 1} or a smaller bbox.",
                e);
        }

        var answers = new IReadOnlyList<CellAggregate>[regions.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, regions.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _maxParallel, CancellationToken = cancellationToken },
            async (i, _) => answers[i] = await _grains.GetGrain<IRegionIndexGrain>(regions[i]).Cells());

        var cells = p == 1
            ? regions.Select((region, i) => CellAggregate.Merge(region, answers[i]))
            : answers.SelectMany(a => a);
        var meeting = cells.Where(c => c.Count > 0 && box.Intersects(Geohash.Decode(c.Cell)))
            .OrderBy(c => c.Cell, StringComparer.Ordinal)
            .ToArray();
        return new OverviewAnswer(p, meeting);
    }

    /// <summary>The finest precision (up to the tiles') at which at most <see cref="MaxDefaultCells"/> cells cover the box.</summary>
    public int DefaultPrecision(BoundingBox box)
    {
        for (var p = MaxPrecision; p > 1; p--)
        {
            if (new TileScheme(p).CountTiles(box) <= MaxDefaultCells && new TileScheme(p - 1).CountTiles(box) <= MaxRegions)
            {
                return p;
            }
        }

        return 1;
    }
}
