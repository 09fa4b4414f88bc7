namespace AirQuality.Domain.Readings;

/// <summary>
/// What one sensor measured at one instant: one or more values, each in its quantity's canonical unit.
/// The timestamp is UTC. Location and sensor type are carried when the source knows them.
/// </summary>
public sealed record Reading(
    string SensorId,
    DateTimeOffset Timestamp,
    IReadOnlyList<Measurement> Values,
    SensorLocation? Location = null,
    string? SensorType = null);
