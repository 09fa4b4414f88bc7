namespace AirQuality.Domain.Quantities;

/// <summary>
/// The temperature (at 1 atm) at which a standard converts between mixing ratios (ppb/ppm) and
/// mass concentrations (µg/m³, mg/m³). The US EPA uses 25 °C; the EU and UK use 20 °C.
/// </summary>
public enum ReferenceConditions : byte
{
    TwentyFiveCelsius,
    TwentyCelsius,
}
