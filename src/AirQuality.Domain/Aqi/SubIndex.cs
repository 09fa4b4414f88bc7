namespace AirQuality.Domain.Aqi;

/// <summary>
/// The index of one pollutant under one standard. A struct holding only references to static data,
/// so computing one allocates nothing.
/// </summary>
/// <param name="Standard">The standard that computed it.</param>
/// <param name="Pollutant">The pollutant.</param>
/// <param name="Averaging">The averaging period of the concentration.</param>
/// <param name="Status">Whether there is an index (<see cref="HasIndex"/>) and, if not, why.</param>
/// <param name="Index">The index (US 0-500, UK 1-10, EU 1-6); 0 when <see cref="HasIndex"/> is false.</param>
/// <param name="Category">The band; null when <see cref="HasIndex"/> is false.</param>
/// <param name="Concentration">The concentration the table was applied to, after the standard's truncation or rounding, in its native unit.</param>
/// <param name="Note">Why there is no index, or a qualification of it; null otherwise.</param>
public readonly record struct SubIndex(
    AqiStandardId Standard,
    Pollutant Pollutant,
    Averaging Averaging,
    AqiStatus Status,
    int Index,
    AqiCategory? Category,
    double Concentration,
    string? Note = null)
{
    public bool HasIndex => Status is AqiStatus.Ok or AqiStatus.BeyondIndex;

    /// <summary>The index, or null when there is none.</summary>
    public int? IndexOrNull => HasIndex ? Index : null;
}

/// <summary>The overall index: the worst sub-index, and the pollutant that set it.</summary>
public readonly record struct OverallAqi(AqiStandardId Standard, AqiStatus Status, int Index, AqiCategory? Category, Pollutant? DominantPollutant)
{
    public bool HasIndex => Status is AqiStatus.Ok or AqiStatus.BeyondIndex;

    public int? IndexOrNull => HasIndex ? Index : null;
}
