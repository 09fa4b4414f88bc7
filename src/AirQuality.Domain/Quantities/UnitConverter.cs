namespace AirQuality.Domain.Quantities;

/// <summary>
/// Converts concentrations between units at the edges of the system (input and output), so that
/// everything inside holds one canonical unit per quantity.
/// </summary>
/// <remarks>
/// Gas factors are the published ones the agencies use (aqi.md, "Units"): µg/m³ per ppb at 1 atm,
/// 25 °C for the US and 20 °C for the EU/UK. CO is expressed in mg/m³ per ppm with the same figures.
/// </remarks>
public static class UnitConverter
{
    public static bool TryConvert(QuantityKind quantity, double value, Unit from, Unit to, ReferenceConditions conditions, out double converted)
    {
        converted = double.NaN;
        if (from == to)
        {
            converted = value;
            return from != Unit.Unknown;
        }

        switch (quantity)
        {
            case QuantityKind.Pm1 or QuantityKind.Pm25 or QuantityKind.Pm10:
                return TryScaleMass(value, from, to, out converted);
            case QuantityKind.O3 or QuantityKind.No2 or QuantityKind.So2 or QuantityKind.Co:
                // Go through µg/m³ so each pair of units needs one rule.
                if (!TryToMicrograms(quantity, value, from, conditions, out var micrograms))
                {
                    return false;
                }

                return TryFromMicrograms(quantity, micrograms, to, conditions, out converted);
            default:
                return false;
        }
    }

    /// <summary>µg/m³ per ppb (equivalently mg/m³ per ppm) for a gas at the given reference temperature.</summary>
    public static double MassPerMixingRatio(QuantityKind gas, ReferenceConditions conditions) => (gas, conditions) switch
    {
        (QuantityKind.No2, ReferenceConditions.TwentyFiveCelsius) => 1.88,
        (QuantityKind.O3, ReferenceConditions.TwentyFiveCelsius) => 1.96,
        (QuantityKind.So2, ReferenceConditions.TwentyFiveCelsius) => 2.62,
        (QuantityKind.Co, ReferenceConditions.TwentyFiveCelsius) => 1.145,
        (QuantityKind.No2, ReferenceConditions.TwentyCelsius) => 1.91,
        (QuantityKind.O3, ReferenceConditions.TwentyCelsius) => 2.00,
        (QuantityKind.So2, ReferenceConditions.TwentyCelsius) => 2.66,
        (QuantityKind.Co, ReferenceConditions.TwentyCelsius) => 1.165,
        _ => throw new ArgumentOutOfRangeException(nameof(gas), gas, "Only O3, NO2, SO2 and CO convert between mixing ratio and mass."),
    };

    private static bool TryScaleMass(double value, Unit from, Unit to, out double converted)
    {
        converted = (from, to) switch
        {
            (Unit.MicrogramsPerCubicMetre, Unit.MilligramsPerCubicMetre) => value / 1000.0,
            (Unit.MilligramsPerCubicMetre, Unit.MicrogramsPerCubicMetre) => value * 1000.0,
            _ => double.NaN,
        };
        return !double.IsNaN(converted);
    }

    private static bool TryToMicrograms(QuantityKind gas, double value, Unit from, ReferenceConditions conditions, out double micrograms)
    {
        var factor = MassPerMixingRatio(gas, conditions);
        micrograms = from switch
        {
            Unit.MicrogramsPerCubicMetre => value,
            Unit.MilligramsPerCubicMetre => value * 1000.0,
            Unit.PartsPerBillion => value * factor,
            Unit.PartsPerMillion => value * 1000.0 * factor,
            _ => double.NaN,
        };
        return !double.IsNaN(micrograms);
    }

    private static bool TryFromMicrograms(QuantityKind gas, double micrograms, Unit to, ReferenceConditions conditions, out double converted)
    {
        var factor = MassPerMixingRatio(gas, conditions);
        converted = to switch
        {
            Unit.MicrogramsPerCubicMetre => micrograms,
            Unit.MilligramsPerCubicMetre => micrograms / 1000.0,
            Unit.PartsPerBillion => micrograms / factor,
            Unit.PartsPerMillion => micrograms / factor / 1000.0,
            _ => double.NaN,
        };
        return !double.IsNaN(converted);
    }
}
