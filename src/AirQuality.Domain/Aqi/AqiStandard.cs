using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Aqi;

public enum AqiStandardId : byte
{
    UsEpa2024,
    UkDaqi,
    EuEaqi2024,
}

/// <summary>
/// An air quality index as an agency publishes it: which pollutants, on which averaging periods, in
/// which units, and the table that turns a concentration into an index and a category.
/// </summary>
public abstract class AqiStandard
{
    private protected AqiStandard()
    {
    }

    public static AqiStandard UsEpa2024 { get; } = new UsEpa2024Standard();

    public static AqiStandard UkDaqi { get; } = new UkDaqiStandard();

    public static AqiStandard EuEaqi2024 { get; } = new EuEaqi2024Standard();

    public static IReadOnlyList<AqiStandard> All { get; } = [UsEpa2024, UkDaqi, EuEaqi2024];

    public abstract AqiStandardId Id { get; }

    /// <summary>us-epa-2024, uk-daqi, eu-eaqi-2024.</summary>
    public abstract string Name { get; }

    /// <summary>The temperature this standard converts between ppb and µg/m³ at.</summary>
    public abstract ReferenceConditions ReferenceConditions { get; }

    /// <summary>The scale, lowest band first, for legends.</summary>
    public abstract IReadOnlyList<AqiCategory> Categories { get; }

    public abstract IReadOnlyList<Pollutant> Pollutants { get; }

    public abstract Unit NativeUnit(Pollutant pollutant);

    /// <summary>The averaging period the standard uses for this pollutant when none is named.</summary>
    public abstract Averaging DefaultAveraging(Pollutant pollutant);

    public abstract IReadOnlyList<Averaging> AveragingsFor(Pollutant pollutant);

    public bool Supports(Pollutant pollutant, Averaging averaging)
    {
        // Indexed, not foreach: enumerating an IReadOnlyList boxes its enumerator, and this is the hot path.
        var defined = AveragingsFor(pollutant);
        for (var i = 0; i < defined.Count; i++)
        {
            if (defined[i] == averaging)
            {
                return true;
            }
        }

        return false;
    }

    public static AqiStandard Get(AqiStandardId id) => id switch
    {
        AqiStandardId.UsEpa2024 => UsEpa2024,
        AqiStandardId.UkDaqi => UkDaqi,
        AqiStandardId.EuEaqi2024 => EuEaqi2024,
        _ => throw new ArgumentOutOfRangeException(nameof(id)),
    };

    public static bool TryParse(string? name, out AqiStandard standard)
    {
        foreach (var s in All)
        {
            if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                standard = s;
                return true;
            }
        }

        standard = UsEpa2024;
        return false;
    }

    /// <summary>The sub-index at the pollutant's default averaging period.</summary>
    public SubIndex Calculate(Pollutant pollutant, double concentration) =>
        Calculate(pollutant, concentration, DefaultAveraging(pollutant));

    /// <summary>
    /// The sub-index of a concentration given in the standard's native unit (<see cref="NativeUnit"/>)
    /// averaged over <paramref name="averaging"/>. Never throws for bad numbers: the status says what went wrong.
    /// </summary>
    public SubIndex Calculate(Pollutant pollutant, double concentration, Averaging averaging)
    {
        if (!double.IsFinite(concentration) || concentration < 0)
        {
            return new SubIndex(Id, pollutant, averaging, AqiStatus.InvalidConcentration, 0, null, concentration,
                "the concentration must be a finite, non-negative number");
        }

        if (!Supports(pollutant, averaging))
        {
            return new SubIndex(Id, pollutant, averaging, AqiStatus.NotDefined, 0, null, concentration, UnsupportedNote(pollutant, averaging));
        }

        return CalculateCore(pollutant, concentration, averaging);
    }

    /// <summary>"Insufficient data" as a value, for callers that lack enough data to compute.</summary>
    public SubIndex InsufficientData(Pollutant pollutant, Averaging averaging, string? note = null) =>
        new(Id, pollutant, averaging, AqiStatus.InsufficientData, 0, null, double.NaN, note ?? "insufficient data");

    /// <summary>Converts a value in <paramref name="unit"/> to this standard's native unit for the pollutant.</summary>
    public bool TryToNativeUnit(Pollutant pollutant, double value, Unit unit, out double native) =>
        UnitConverter.TryConvert(pollutant.ToQuantityKind(), value, unit, NativeUnit(pollutant), ReferenceConditions, out native);

    /// <summary>Overall index = the worst sub-index; its pollutant is the dominant one. No sub-index: insufficient data.</summary>
    public OverallAqi Combine(ReadOnlySpan<SubIndex> subIndices)
    {
        var best = -1;
        for (var i = 0; i < subIndices.Length; i++)
        {
            if (subIndices[i].HasIndex && (best < 0 || subIndices[i].Index > subIndices[best].Index))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return new OverallAqi(Id, AqiStatus.InsufficientData, 0, null, null);
        }

        var worst = subIndices[best];
        return new OverallAqi(Id, worst.Status, worst.Index, worst.Category, worst.Pollutant);
    }

    /// <summary>The category an index value falls in; null outside the scale.</summary>
    public AqiCategory? CategoryOf(int index)
    {
        foreach (var c in Categories)
        {
            if (index >= c.MinIndex && index <= c.MaxIndex)
            {
                return c;
            }
        }

        return null;
    }

    private protected abstract SubIndex CalculateCore(Pollutant pollutant, double concentration, Averaging averaging);

    private string UnsupportedNote(Pollutant pollutant, Averaging averaging)
    {
        var defined = AveragingsFor(pollutant);
        return defined.Count == 0
            ? $"{Name} does not index {pollutant.ToName()}"
            : $"{Name} defines {pollutant.ToName()} on {string.Join(" or ", defined.Select(a => a.ToName()))} averages, not {averaging.ToName()}";
    }
}
