using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Contracts;

/// <summary>
/// How a domain <see cref="Reading"/> crosses a grain call: the domain library knows nothing of Orleans,
/// so its types travel through surrogates. Values are flattened into parallel arrays (one allocation each
/// instead of one per value).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("aq.sensor.ReadingSurrogate")]
public readonly struct ReadingSurrogate
{
    [Id(0)] public string SensorId { get; init; }
    [Id(1)] public long TimestampTicks { get; init; }
    [Id(2)] public string[] Quantities { get; init; }
    [Id(3)] public double[] Values { get; init; }
    [Id(4)] public SensorLocation? Location { get; init; }
    [Id(5)] public string? SensorType { get; init; }
}

[RegisterConverter]
public sealed class ReadingSurrogateConverter : IConverter<Reading, ReadingSurrogate>
{
    public Reading ConvertFromSurrogate(in ReadingSurrogate surrogate)
    {
        var values = new Measurement[surrogate.Values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new Measurement(Quantity.Parse(surrogate.Quantities[i]), surrogate.Values[i]);
        }

        return new Reading(surrogate.SensorId, new DateTimeOffset(surrogate.TimestampTicks, TimeSpan.Zero), values, surrogate.Location, surrogate.SensorType);
    }

    public ReadingSurrogate ConvertToSurrogate(in Reading value)
    {
        var names = new string[value.Values.Count];
        var values = new double[value.Values.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = value.Values[i].Quantity.Name;
            values[i] = value.Values[i].Value;
        }

        return new ReadingSurrogate
        {
            SensorId = value.SensorId,
            TimestampTicks = value.Timestamp.UtcTicks,
            Quantities = names,
            Values = values,
            Location = value.Location,
            SensorType = value.SensorType,
        };
    }
}

[GenerateSerializer, Immutable]
[Alias("aq.sensor.SensorLocationSurrogate")]
public readonly struct SensorLocationSurrogate
{
    [Id(0)] public double Latitude { get; init; }
    [Id(1)] public double Longitude { get; init; }
    [Id(2)] public double? Altitude { get; init; }
    [Id(3)] public string? Country { get; init; }
    [Id(4)] public bool? Indoor { get; init; }
}

[RegisterConverter]
public sealed class SensorLocationSurrogateConverter : IConverter<SensorLocation, SensorLocationSurrogate>
{
    public SensorLocation ConvertFromSurrogate(in SensorLocationSurrogate s) => new(s.Latitude, s.Longitude, s.Altitude, s.Country, s.Indoor);

    public SensorLocationSurrogate ConvertToSurrogate(in SensorLocation value) => new()
    {
        Latitude = value.Latitude,
        Longitude = value.Longitude,
        Altitude = value.Altitude,
        Country = value.Country,
        Indoor = value.Indoor,
    };
}
