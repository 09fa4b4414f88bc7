namespace AirQuality.Contracts.Index;

/// <summary>
/// What the overview keeps of the sensors in one geohash cell: how many, where they are on average, their
/// statuses, and per standard the worst and the mean index. Absolute values, never deltas, so a report sent
/// twice (a retry, a replay after a crash) changes nothing.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.CellAggregate")]
public sealed record CellAggregate(
    [property: Id(0)] string Cell,
    [property: Id(1)] int Count,
    [property: Id(2)] double LatitudeSum,
    [property: Id(3)] double LongitudeSum,
    [property: Id(4)] int Online,
    [property: Id(5)] int Stale,
    [property: Id(6)] int NeverSeen,
    [property: Id(7)] DateTimeOffset? LatestSeen,
    [property: Id(8)] IndexAggregate Us,
    [property: Id(9)] IndexAggregate Uk,
    [property: Id(10)] IndexAggregate Eu)
{
    /// <summary>The mean latitude of the cell's sensors (meaningless when <see cref="Count"/> is 0).</summary>
    public double Latitude => Count == 0 ? 0 : LatitudeSum / Count;

    /// <summary>The mean longitude; a geohash cell never spans the antimeridian, so a plain mean is right.</summary>
    public double Longitude => Count == 0 ? 0 : LongitudeSum / Count;

    public IndexAggregate Under(IndexStandard standard) => standard switch
    {
        IndexStandard.UsEpa2024 => Us,
        IndexStandard.UkDaqi => Uk,
        _ => Eu,
    };

    public static CellAggregate Empty(string cell) => new(cell, 0, 0, 0, 0, 0, 0, null, default, default, default);

    /// <summary>
    /// The aggregate of <paramref name="sensors"/>: a sensor ONLINE in its summary but last seen before
    /// <paramref name="staleBefore"/> counts as STALE, as the tile's queries show it.
    /// </summary>
    public static CellAggregate Of(string cell, IEnumerable<SensorSummary> sensors, DateTimeOffset staleBefore)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        int count = 0, online = 0, stale = 0, neverSeen = 0;
        double latitudes = 0, longitudes = 0;
        DateTimeOffset? latest = null;
        IndexAggregate us = default, uk = default, eu = default;
        foreach (var s in sensors)
        {
            count++;
            latitudes += s.Latitude;
            longitudes += s.Longitude;
            switch (s.Status)
            {
                case SensorStatusView.Online when s.LastSeen < staleBefore:
                case SensorStatusView.Stale:
                    stale++;
                    break;
                case SensorStatusView.Online:
                    online++;
                    break;
                default:
                    neverSeen++;
                    break;
            }

            if (s.LastSeen > latest || latest is null)
            {
                latest = s.LastSeen ?? latest;
            }

            us = us.With(s.UsIndex);
            uk = uk.With(s.UkIndex);
            eu = eu.With(s.EuIndex);
        }

        return new(cell, count, latitudes, longitudes, online, stale, neverSeen, latest, us, uk, eu);
    }

    /// <summary>The aggregate of a cell from those of the cells inside it.</summary>
    public static CellAggregate Merge(string cell, IEnumerable<CellAggregate> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var total = Empty(cell);
        foreach (var p in parts)
        {
            total = new(
                cell,
                total.Count + p.Count,
                total.LatitudeSum + p.LatitudeSum,
                total.LongitudeSum + p.LongitudeSum,
                total.Online + p.Online,
                total.Stale + p.Stale,
                total.NeverSeen + p.NeverSeen,
                p.LatestSeen > total.LatestSeen || total.LatestSeen is null ? p.LatestSeen ?? total.LatestSeen : total.LatestSeen,
                total.Us.Merge(p.Us),
                total.Uk.Merge(p.Uk),
                total.Eu.Merge(p.Eu));
        }

        return total;
    }

    /// <summary>
    /// As it stands at a time when sensors last seen before <paramref name="staleBefore"/> are stale: when
    /// even the newest sensor of the cell is that old, every ONLINE one has gone STALE. (A cell that still hears
    /// from some sensors is reported again by its tile, which then counts each sensor by its own last-seen time.)
    /// </summary>
    public CellAggregate AsOf(DateTimeOffset staleBefore) =>
        Online > 0 && LatestSeen < staleBefore ? this with { Online = 0, Stale = Stale + Online } : this;

    /// <summary>
    /// Whether a parent holding <paramref name="reported"/> must hear of this one: anything but the newest
    /// last-seen time changed, or that moved on by <paramref name="lastSeenResolution"/> or more (a cell whose
    /// sensors report steadily would otherwise be reported at every interval for the time alone).
    /// </summary>
    public bool Differs(CellAggregate? reported, TimeSpan lastSeenResolution)
    {
        if (reported is null)
        {
            return Count > 0;
        }

        return this with { LatestSeen = reported.LatestSeen } != reported
            || LatestSeen is null != reported.LatestSeen is null
            || (LatestSeen - reported.LatestSeen)?.Duration() >= lastSeenResolution;
    }
}

/// <summary>The indices of a cell's sensors under one standard: the worst, and the sum and count for the mean.</summary>
[GenerateSerializer, Immutable]
[Alias("aq.index.IndexAggregate")]
public readonly record struct IndexAggregate(
    [property: Id(0)] int? Max,
    [property: Id(1)] long Sum,
    [property: Id(2)] int Count)
{
    public double? Mean => Count == 0 ? null : (double)Sum / Count;

    public IndexAggregate With(int? index) =>
        index is not { } i ? this : new(Max is { } m && m >= i ? m : i, Sum + i, Count + 1);

    public IndexAggregate Merge(IndexAggregate other) =>
        new(Max is null ? other.Max : other.Max is null ? Max : Math.Max(Max.Value, other.Max.Value), Sum + other.Sum, Count + other.Count);
}
