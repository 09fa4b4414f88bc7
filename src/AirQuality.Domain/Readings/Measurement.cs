using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Readings;

/// <summary>One value of one quantity, in the quantity's canonical unit.</summary>
public readonly record struct Measurement(Quantity Quantity, double Value);
