using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Validation;

/// <summary>
/// Decides whether a timestamp or a value can be accepted, and says why not. Checks are per value,
/// so one implausible value never takes the good values of the same reading with it.
/// </summary>
public sealed class ReadingValidator
{
    private readonly ValidationOptions _options;
    private readonly TimeProvider _time;
    private readonly PlausibilityRange?[] _gates;

    public ReadingValidator(ValidationOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new ValidationOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
        _gates = new PlausibilityRange?[Enum.GetValues<QuantityKind>().Length];
        foreach (var (kind, range) in _options.Gates)
        {
            _gates[(int)kind] = range;
        }
    }

    public static ReadingValidator Default { get; } = new();

    /// <summary>Null when the timestamp is acceptable now; otherwise the reason.</summary>
    public string? CheckTimestamp(DateTimeOffset timestamp)
    {
        if (timestamp < _options.MinTimestamp)
        {
            return $"timestamp {timestamp:O} is before {_options.MinTimestamp:yyyy-MM-dd} (device clock not set?)";
        }

        var now = _time.GetUtcNow();
        if (timestamp > now + _options.MaxFutureSkew)
        {
            return $"timestamp {timestamp:O} is in the future (more than {_options.MaxFutureSkew.TotalMinutes:0} min ahead of {now:O})";
        }

        if (_options.MaxAge is { } maxAge && timestamp < now - maxAge)
        {
            return $"timestamp {timestamp:O} is older than the maximum age of {maxAge}";
        }

        return null;
    }

    /// <summary>Null when the value (already in the quantity's canonical unit) is acceptable; otherwise the reason.</summary>
    public string? CheckValue(Quantity quantity, double value)
    {
        if (double.IsNaN(value))
        {
            return "value is NaN";
        }

        if (double.IsInfinity(value))
        {
            return "value is not finite";
        }

        var kind = quantity.Kind;
        if (IsConcentration(kind) && value < 0)
        {
            return $"negative concentration {value}";
        }

        if (_gates[(int)kind] is { } gate && !gate.Contains(value))
        {
            return $"{value} {quantity.CanonicalUnit.ToSymbol()} is outside the plausible range {gate}";
        }

        return null;
    }

    private static bool IsConcentration(QuantityKind kind) =>
        kind is QuantityKind.Pm1 or QuantityKind.Pm25 or QuantityKind.Pm10
            or QuantityKind.O3 or QuantityKind.No2 or QuantityKind.So2 or QuantityKind.Co;
}
