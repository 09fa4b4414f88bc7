using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Sensors;
using AirQuality.Grains.Index;

namespace AirQuality.Grains;

/// <summary>Checks a <see cref="SensorRegistration"/> and applies it to a sensor's state (pure).</summary>
internal static class SensorRegistrations
{
    /// <summary>
    /// Applies the registration, or throws an <see cref="ArgumentException"/> naming the bad field before
    /// changing anything (the gateway shows the message to the caller as it is).
    /// </summary>
    public static void Apply(SensorState state, SensorRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var name = registration.Name is { } n ? CheckedName(n.Trim()) : null;
        var sensorType = registration.SensorType is { } t ? CheckedSensorType(t.Trim()) : null;
        var location = CheckedLocation(registration);

        if (name is not null)
        {
            // An empty name removes it: an unnamed sensor keeps only a null reference.
            state.Name = name.Length == 0 ? null : name;
        }

        if (sensorType is { Length: > 0 })
        {
            state.SensorType = sensorType;
        }

        if (location is not null)
        {
            state.Location = location;
        }
    }

    private static string CheckedName(string name)
    {
        if (name.Length > SensorRegistration.MaxNameLength)
        {
            throw new ArgumentException($"name is longer than {SensorRegistration.MaxNameLength} characters.");
        }

        if (name.Any(char.IsControl))
        {
            throw new ArgumentException("name contains a control character.");
        }

        return name;
    }

    private static string CheckedSensorType(string sensorType)
    {
        if (sensorType.Length > SensorRegistration.MaxSensorTypeLength)
        {
            throw new ArgumentException($"sensorType is longer than {SensorRegistration.MaxSensorTypeLength} characters.");
        }

        if (sensorType.Any(char.IsControl))
        {
            throw new ArgumentException("sensorType contains a control character.");
        }

        return sensorType;
    }

    private static SensorLocation? CheckedLocation(SensorRegistration r)
    {
        if (r.Latitude is null != r.Longitude is null)
        {
            throw new ArgumentException("latitude and longitude come together: give both or neither.");
        }

        if (r.Latitude is not { } latitude || r.Longitude is not { } longitude)
        {
            if (r.Altitude is not null || r.Country is not null || r.Indoor is not null)
            {
                throw new ArgumentException("altitude, country and indoor are part of the location: give them with latitude and longitude.");
            }

            return null;
        }

        string? country = null;
        if (r.Country is { } c)
        {
            country = CountryCode.Normalize(c.Trim()) ?? throw new ArgumentException($"{CountryCode.Problem(c)}.");
        }

        var location = new SensorLocation(latitude, longitude, r.Altitude, country, r.Indoor);
        return location.Problem is { } problem ? throw new ArgumentException($"{problem}.") : location;
    }
}
