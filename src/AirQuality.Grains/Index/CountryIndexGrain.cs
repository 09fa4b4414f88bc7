using AirQuality.Contracts.Index;
using AirQuality.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>
/// A country's sensors and the tile each stands in. Only ids and tile ids: the summaries live in the tiles
/// alone, so one change is written to one tile and the country index changes only when a sensor enters,
/// leaves or moves tile.
/// </summary>
[GrainType("countryindex")]
public sealed class CountryIndexGrain(
    [PersistentState("index", AirQualityStorage.Index)] IPersistentState<CountryIndexState> stored,
    IOptions<SensorIndexOptions> options)
    : IndexGrain<CountryIndexState>(stored, options), ICountryIndexGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (CountryCode.Problem(this.GetPrimaryKeyString()) is { } problem)
        {
            throw new ArgumentException($"Not a country index: {problem}");
        }

        return Task.CompletedTask;
    }

    public Task Add(string sensorId, string tile)
    {
        if (State.TileOfSensor.TryGetValue(sensorId, out var known) && known == tile)
        {
            return Task.CompletedTask;
        }

        State.TileOfSensor[sensorId] = tile;
        return ChangedAsync();
    }

    public Task Remove(string sensorId) =>
        State.TileOfSensor.Remove(sensorId) ? ChangedAsync() : Task.CompletedTask;

    public Task<IReadOnlyList<string>> Tiles()
    {
        var tiles = State.TileOfSensor.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return Task.FromResult<IReadOnlyList<string>>(tiles);
    }
}
