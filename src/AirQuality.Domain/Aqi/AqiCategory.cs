namespace AirQuality.Domain.Aqi;

/// <summary>
/// One band of a standard's scale, for results and legends: the agency's name and colour, and the
/// index values it covers.
/// </summary>
public sealed record AqiCategory(string Name, string Color, int MinIndex, int MaxIndex);

/// <summary>What a calculation produced.</summary>
public enum AqiStatus : byte
{
    /// <summary>An index within the standard's scale.</summary>
    Ok,

    /// <summary>Above the top of the scale: reported as the top index, flagged, never wrapped.</summary>
    BeyondIndex,

    /// <summary>Not enough data (coverage, NowCast validity): a value, not an error.</summary>
    InsufficientData,

    /// <summary>The standard does not define an index for this pollutant, averaging and range; see the note.</summary>
    NotDefined,

    /// <summary>The concentration is not a finite, non-negative number.</summary>
    InvalidConcentration,
}
