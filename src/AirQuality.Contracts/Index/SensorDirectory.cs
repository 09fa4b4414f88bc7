using AirQuality.Domain.Spatial;

namespace AirQuality.Contracts.Index;

/// <summary>
/// Answers list queries from the index: plans the tiles a query can match (bbox, circle, or the country
/// index), asks them in parallel (bounded) for their matches after the cursor, and merges one page in
/// sensor id order. It never scans the whole index. A plain class: use it from a gateway or the host.
/// </summary>
public sealed class SensorDirectory
{
    private readonly IGrainFactory _grains;
    private readonly TileScheme _scheme;
    private readonly int _maxParallelTiles;

    public SensorDirectory(IGrainFactory grains, TileScheme? scheme = null, int maxParallelTiles = 16)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelTiles, 1);
        _grains = grains;
        _scheme = scheme ?? TileScheme.Default;
        _maxParallelTiles = maxParallelTiles;
    }

    /// <summary>One page of the sensors matching <paramref name="query"/>; <see cref="SensorQueryException"/> for a query the caller must fix.</summary>
    public async Task<SensorPage> FindAsync(SensorQuery query, CancellationToken cancellationToken = default)
    {
        var filter = SensorFilter.Create(query);
        var first = Math.Clamp(query.First, 1, SensorQuery.MaxFirst);
        var afterId = query.After is { } after ? SensorCursor.Decode(query, after) : null;
        var tiles = await PlanAsync(filter);

        // Each tile sends its count and at most first + 1 items after the cursor: enough to fill the page
        // and tell whether another follows.
        var answers = new TileMatches[tiles.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tiles.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _maxParallelTiles, CancellationToken = cancellationToken },
            async (i, _) => answers[i] = await _grains.GetGrain<ITileIndexGrain>(tiles[i]).Query(query, afterId, first + 1));

        // A sensor that just moved may briefly stand in two tiles: keep its most recent summary once.
        var merged = new Dictionary<string, SensorSummary>(StringComparer.Ordinal);
        var total = 0;
        foreach (var answer in answers)
        {
            total += answer.Count;
            foreach (var item in answer.Items)
            {
                if (!merged.TryGetValue(item.Id, out var other) || item.LastSeen > other.LastSeen)
                {
                    merged[item.Id] = item;
                }
            }
        }

        var ordered = merged.Values.OrderBy(s => s.Id, StringComparer.Ordinal).Take(first + 1).ToList();
        var hasNext = ordered.Count > first;
        if (hasNext)
        {
            ordered.RemoveAt(first);
        }

        var endCursor = ordered.Count > 0 ? SensorCursor.Encode(query, ordered[^1].Id) : query.After;
        return new SensorPage(ordered, endCursor, hasNext, total);
    }

    /// <summary>The tiles a query can match, or a <see cref="SensorQueryException"/> when it names no area or too large a one.</summary>
    private async Task<IReadOnlyList<string>> PlanAsync(SensorFilter filter)
    {
        IReadOnlyList<string>? tiles = null;
        if (filter.HasArea)
        {
            // With both a bbox and a circle, enumerate the smaller and keep its tiles that meet the other.
            var boxes = new[] { filter.Box, filter.NearBox }.OfType<BoundingBox>().OrderBy(_scheme.CountTiles).ToArray();
            try
            {
                tiles = _scheme.TilesCovering(boxes[0]);
            }
            catch (ArgumentException e)
            {
                throw new SensorQueryException($"Area too large: {e.Message}.", e);
            }

            if (boxes.Length == 2)
            {
                tiles = tiles.Where(t => boxes[1].Intersects(Geohash.Decode(t))).ToArray();
            }
        }

        if (filter.Country is { } country)
        {
            var countryTiles = await _grains.GetGrain<ICountryIndexGrain>(country).Tiles();
            if (tiles is null)
            {
                if (countryTiles.Count > _scheme.MaxTiles)
                {
                    throw new SensorQueryException(
                        $"Area too large: country {country} has sensors in {countryTiles.Count} index tiles, more than the {_scheme.MaxTiles} a query may touch; add a bbox or near.");
                }

                tiles = countryTiles;
            }
            else
            {
                var inCountry = countryTiles.ToHashSet(StringComparer.Ordinal);
                tiles = tiles.Where(inCountry.Contains).ToArray();
            }
        }

        return tiles ?? throw new SensorQueryException(
            "A sensors query needs an area: bbox, near or country (the whole index is never scanned).");
    }
}
