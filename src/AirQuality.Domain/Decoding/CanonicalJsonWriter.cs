using System.Globalization;
using System.Text.Json;
using AirQuality.Domain.Readings;

namespace AirQuality.Domain.Decoding;

/// <summary>
/// Writes a reading in the canonical JSON shape <see cref="CanonicalJsonDecoder"/> reads, so that
/// decoding what was written gives the same reading back.
/// </summary>
public static class CanonicalJsonWriter
{
    // 'F' digits drop trailing zeros (and the point when all are zero), and 7 of them keep every tick.
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>
    /// Writes one reading object: timestamp as ISO 8601 UTC with Z, numbers in their shortest round-trip
    /// form, location and sensorType omitted when null. Throws <see cref="ArgumentException"/> for a
    /// non-finite value, which JSON cannot carry (decoded readings never hold one).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, Reading reading)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reading);

        writer.WriteStartObject();
        writer.WriteString("sensorId"u8, reading.SensorId);

        Span<byte> timestamp = stackalloc byte[32];
        if (!reading.Timestamp.UtcDateTime.TryFormat(timestamp, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A timestamp did not fit its buffer.");
        }

        writer.WriteString("timestamp"u8, timestamp[..written]);

        writer.WriteStartObject("values"u8);
        foreach (var measurement in reading.Values)
        {
            writer.WriteNumber(measurement.Quantity.Name, measurement.Value);
        }

        writer.WriteEndObject();

        if (reading.Location is { } location)
        {
            writer.WriteStartObject("location"u8);
            writer.WriteNumber("latitude"u8, location.Latitude);
            writer.WriteNumber("longitude"u8, location.Longitude);
            if (location.Altitude is { } altitude)
            {
                writer.WriteNumber("altitude"u8, altitude);
            }

            if (location.Country is { } country)
            {
                writer.WriteString("country"u8, country);
            }

            if (location.Indoor is { } indoor)
            {
                writer.WriteBoolean("indoor"u8, indoor);
            }

            writer.WriteEndObject();
        }

        if (reading.SensorType is { } sensorType)
        {
            writer.WriteString("sensorType"u8, sensorType);
        }

        writer.WriteEndObject();
    }
}
