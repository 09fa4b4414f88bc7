using AirQuality.Contracts.Index;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains.Index;

/// <summary>
/// A country's sensors and the tile each stands in. Only ids and tile ids: the summaries live in the tiles
/// alone, so one change is written to one tile and the country index changes only when a sensor enters,
/// leaves or moves tile.
/// </summary>
public sealed class CountryIndexGrain(
    [PersistentState("index", "index")] IPersistentState<CountryIndexState> stored,
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

/// <summary>The country codes the index accepts: ISO 3166-1 alpha-2, upper case.</summary>
public static class CountryCode
{
    /// <summary>The code in upper case, or null when it is not two ASCII letters.</summary>
    public static string? Normalize(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) ? code.ToUpperInvariant() : null;

    public static string? Problem(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1])
            ? null
            : $"country '{code}' is not an ISO 3166-1 alpha-2 code such as DE";
}
