namespace AirQuality.Domain.Validation;

/// <summary>Inclusive lower and exclusive-or-inclusive upper bound of plausible values, in the canonical unit.</summary>
public readonly record struct PlausibilityRange(double Min, double Max, bool MaxInclusive = true)
{
    public bool Contains(double value) => value >= Min && (MaxInclusive ? value <= Max : value < Max);

    public override string ToString() => MaxInclusive ? $"{Min}..{Max}" : $"{Min}..<{Max}";
}
