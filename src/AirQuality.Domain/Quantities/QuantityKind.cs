namespace AirQuality.Domain.Quantities;

/// <summary>The quantities the product understands. Anything else is kept by name as <see cref="Other"/>.</summary>
public enum QuantityKind : byte
{
    Other = 0,
    Pm1,
    Pm25,
    Pm10,
    O3,
    No2,
    So2,
    Co,
    Temperature,
    Humidity,
    Pressure,
}
