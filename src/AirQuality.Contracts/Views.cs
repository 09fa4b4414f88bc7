namespace AirQuality.Contracts;

[GenerateSerializer]
[Alias("aq.sensor.SensorStatusView")]
public enum SensorStatusView
{
    NeverSeen,
    Online,
    Stale,
}

[GenerateSerializer, Immutable]
[Alias("aq.sensor.LocationView")]
public sealed record LocationView(
    [property: Id(0)] double Latitude,
    [property: Id(1)] double Longitude,
    [property: Id(2)] double? Altitude,
    [property: Id(3)] string? Country,
    [property: Id(4)] bool? Indoor);

[GenerateSerializer, Immutable]
[Alias("aq.sensor.MeasurementView")]
public sealed record MeasurementView(
    [property: Id(0)] string Quantity,
    [property: Id(1)] double Value,
    [property: Id(2)] string Unit,
    [property: Id(3)] DateTimeOffset Timestamp);

/// <summary>A sensor's index under one standard. Index and category are null with insufficient data.</summary>
[GenerateSerializer, Immutable]
[Alias("aq.sensor.AqiView")]
public sealed record AqiView(
    [property: Id(0)] string Standard,
    [property: Id(1)] int? Index,
    [property: Id(2)] string Category,
    [property: Id(3)] string? Color,
    [property: Id(4)] string? DominantPollutant,
    [property: Id(5)] string? Averaging,
    [property: Id(6)] DateTimeOffset ValidAt,
    [property: Id(7)] bool BeyondIndex);

[GenerateSerializer, Immutable]
[Alias("aq.sensor.SensorView")]
public sealed record SensorView(
    [property: Id(0)] string Id,
    [property: Id(1)] LocationView? Location,
    [property: Id(2)] string? SensorType,
    [property: Id(3)] SensorStatusView Status,
    [property: Id(4)] DateTimeOffset? FirstSeen,
    [property: Id(5)] DateTimeOffset? LastSeen,
    [property: Id(6)] IReadOnlyList<MeasurementView> Latest,
    [property: Id(7)] IReadOnlyList<AqiView> Aqi,
    [property: Id(8)] string? Name = null);

[GenerateSerializer, Immutable]
[Alias("aq.sensor.AggregateView")]
public sealed record AggregateView(
    [property: Id(0)] string Quantity,
    [property: Id(1)] DateTimeOffset PeriodStart,
    [property: Id(2)] DateTimeOffset PeriodEnd,
    [property: Id(3)] double? Mean,
    [property: Id(4)] double? Min,
    [property: Id(5)] double? Max,
    [property: Id(6)] int Count,
    [property: Id(7)] double Coverage);
