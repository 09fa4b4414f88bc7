using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Spatial;

namespace AirQuality.Grains.Index;

/// <summary>
/// How a sensor keeps the index up to date: build its summary, decide whether the index needs it, and
/// apply the change to its tile(s) and country index.
/// </summary>
public static class SensorIndexUpdate
{
    /// <summary>
    /// How far <see cref="SensorSummary.LastSeen"/> may run ahead of the indexed one before the index is
    /// refreshed anyway: a reporting sensor refreshes its entry this often, which also heals an index that
    /// lost its last writes in a crash. Default 5 minutes.
    /// </summary>
    public static readonly TimeSpan DefaultLastSeenResolution = TimeSpan.FromMinutes(5);

    /// <summary>The index's summary of a sensor, or null when it has no usable location (then it is not indexed).</summary>
    public static SensorSummary? SummaryOf(SensorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Location is not { } l || GeoMath.PointProblem(l.Latitude, l.Longitude) is not null)
        {
            return null;
        }

        int? IndexOf(string standard) => view.Aqi.FirstOrDefault(a => a.Standard == standard)?.Index;
        return new SensorSummary(
            view.Id,
            l.Latitude,
            l.Longitude,
            CountryCode.Normalize(l.Country),
            l.Indoor,
            view.Status,
            view.LastSeen,
            IndexOf("us-epa-2024"),
            IndexOf("uk-daqi"),
            IndexOf("eu-eaqi-2024"));
    }

    /// <summary>
    /// Whether the index must hear of the change from <paramref name="previous"/> (what it holds) to
    /// <paramref name="current"/>: entered or left the index, moved, changed country or indoor flag, status,
    /// an index under any standard, or last seen more than <paramref name="lastSeenResolution"/> later.
    /// </summary>
    public static bool NeedsUpdate(SensorSummary? previous, SensorSummary? current, TimeSpan? lastSeenResolution = null)
    {
        if (previous is null || current is null)
        {
            return previous != current;
        }

        return previous.Latitude != current.Latitude
            || previous.Longitude != current.Longitude
            || previous.Country != current.Country
            || previous.Indoor != current.Indoor
            || previous.Status != current.Status
            || previous.UsIndex != current.UsIndex
            || previous.UkIndex != current.UkIndex
            || previous.EuIndex != current.EuIndex
            || previous.LastSeen is null != current.LastSeen is null
            || current.LastSeen - previous.LastSeen >= (lastSeenResolution ?? DefaultLastSeenResolution);
    }

    /// <summary>
    /// Applies the change from <paramref name="previous"/> (null: not indexed) to <paramref name="current"/>
    /// (null: remove): upserts into the new tile first, then removes from the old tile when the sensor moved
    /// tile, and likewise for the country index. Both must be summaries of the same sensor.
    /// </summary>
    public static async Task ApplyAsync(IGrainFactory grains, SensorSummary? previous, SensorSummary? current, TileScheme? scheme = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (previous is not null && current is not null && !string.Equals(previous.Id, current.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The previous summary is of sensor '{previous.Id}', the current of '{current.Id}'.");
        }

        scheme ??= TileScheme.Default;
        var oldTile = previous is null ? null : scheme.TileOf(previous.Latitude, previous.Longitude);
        var newTile = current is null ? null : scheme.TileOf(current.Latitude, current.Longitude);
        var oldCountry = CountryCode.Normalize(previous?.Country);
        var newCountry = CountryCode.Normalize(current?.Country);

        if (current is not null)
        {
            await grains.GetGrain<ITileIndexGrain>(newTile!).Upsert(current);
            if (newCountry is not null && (newCountry != oldCountry || newTile != oldTile))
            {
                await grains.GetGrain<ICountryIndexGrain>(newCountry).Add(current.Id, newTile!);
            }
        }

        if (previous is not null)
        {
            if (oldTile != newTile)
            {
                await grains.GetGrain<ITileIndexGrain>(oldTile!).Remove(previous.Id);
            }

            if (oldCountry is not null && oldCountry != newCountry)
            {
                await grains.GetGrain<ICountryIndexGrain>(oldCountry).Remove(previous.Id);
            }
        }
    }
}
