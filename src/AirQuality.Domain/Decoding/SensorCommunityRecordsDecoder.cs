using System.Text.Json;
using AirQuality.Domain.Decoding.Internal;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using static AirQuality.Domain.Decoding.Internal.JsonRecords;

namespace AirQuality.Domain.Decoding;

/// <summary>
/// Decodes the Sensor.Community open-data files (data.json, data.1h.json, data.24h.json, ...): a JSON
/// array of records, each one reading. See sensor-community.md for the record shape.
/// </summary>
/// <remarks>
/// <para>Sensor id "sc-&lt;sensor.id&gt;" (the per-submission "id" changes on every fetch and is ignored);
/// timestamp "YYYY-MM-DD HH:MM:SS" in UTC (ISO 8601 with a zone is accepted too); coordinates and
/// altitude are strings ("" meaning unknown); indoor is 0 or 1; sensor type is sensor.sensor_type.name.</para>
/// <para>Records are the array elements, numbered from 1; a single record object is accepted as record 1.
/// A record with no sensor id, a bad timestamp or wrongly typed structure is rejected on its own; a bad
/// location is rejected as the value "location" and the reading kept. A syntax error ends the reading:
/// the records read completely before it are kept and one rejection covers the rest.
/// Record number 0 is about the input as a whole ("empty body").</para>
/// <para>Thread-safe: all per-call state lives in the call.</para>
/// </remarks>
public sealed class SensorCommunityRecordsDecoder
{
    private readonly ReadingValidator _validator;

    public SensorCommunityRecordsDecoder(ReadingValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
    }

    public DecodeResult Decode(ReadOnlySpan<byte> utf8)
    {
        var session = new DecodeSession(_validator);
        var body = Trim(utf8, out var offset);
        if (body.IsEmpty)
        {
            session.RejectWholeInput("empty body");
            return session.Result;
        }

        DecodeArrayOrObject(body, offset, session, default(RecordReader));
        return session.Result;
    }

    private readonly struct RecordReader : IJsonRecordReader
    {
        public void ReadRecord(ref Utf8JsonReader reader, DecodeSession session)
        {
            var sawValues = false;
            var prefixes = default(SensorPrefixes);
            var seen = 0;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals("sensordatavalues"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 1, session, "sensordatavalues"))
                    {
                        continue;
                    }

                    sawValues = true;
                    if (ValueOf(ref reader) == JsonTokenType.StartArray)
                    {
                        SensorCommunityJson.ReadDataValues(ref reader, session, ref prefixes);
                    }
                    else
                    {
                        session.FailRecord($"'sensordatavalues' must be an array, got {TokenName(reader.TokenType)}");
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 2, session, "timestamp"))
                    {
                        continue;
                    }

                    if (ValueOf(ref reader) == JsonTokenType.String && TryGetText(ref reader, out var text))
                    {
                        session.SetTimestamp(text, requireZone: false);
                    }
                    else
                    {
                        session.FailRecord($"'timestamp' must be a string, got {TokenName(reader.TokenType)}");
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("sensor"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 4, session, "sensor"))
                    {
                        continue;
                    }

                    if (ValueOf(ref reader) == JsonTokenType.StartObject)
                    {
                        ReadSensor(ref reader, session);
                    }
                    else
                    {
                        session.FailRecord($"'sensor' must be an object, got {TokenName(reader.TokenType)}");
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("location"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 8, session, "location"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    if (token == JsonTokenType.StartObject)
                    {
                        ReadLocation(ref reader, session);
                    }
                    else if (token != JsonTokenType.Null)
                    {
                        session.RejectLocation($"'location' must be an object, got {TokenName(token)}");
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    // id, sampling_rate, and fields added later.
                    SkipValue(ref reader);
                }
            }

            session.RequireSensorTimeAndValues("sensor.id", sawValues, "sensordatavalues");
        }

        private static void ReadSensor(ref Utf8JsonReader reader, DecodeSession session)
        {
            var seen = 0;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return;
                }

                if (reader.ValueTextEquals("id"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 1, session, "id", "sensor"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    // The id is a number; a string of digits is taken too.
                    if (token is JsonTokenType.Number or JsonTokenType.String
                        && TryGetText(ref reader, out var text)
                        && DecodeSession.TryParseSensorNumber(text, out var number))
                    {
                        session.SetSensorCommunityId(number);
                    }
                    else
                    {
                        session.FailRecord(token is JsonTokenType.Number or JsonTokenType.String
                            ? $"'sensor.id' must be a non-negative integer, got '{TextDescription.Of(reader.ValueSpan)}'"
                            : $"'sensor.id' must be a number, got {TokenName(token)}");
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("sensor_type"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 2, session, "sensor_type", "sensor"))
                    {
                        continue;
                    }

                    if (ValueOf(ref reader) == JsonTokenType.StartObject)
                    {
                        ReadSensorType(ref reader, session);
                    }
                    else
                    {
                        // The type is a label; a malformed one costs the label, not the reading.
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
        }

        private static void ReadSensorType(ref Utf8JsonReader reader, DecodeSession session)
        {
            var seen = 0;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return;
                }

                if (reader.ValueTextEquals("name"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 1, session, "name", "sensor_type"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    if (token == JsonTokenType.String && TryGetText(ref reader, out var name))
                    {
                        session.SetSensorType(name);
                    }
                    else if (token != JsonTokenType.Null)
                    {
                        session.RejectSensorType($"'sensor.sensor_type.name' must be a string, got {TokenName(token)}");
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
        }

        private static void ReadLocation(ref Utf8JsonReader reader, DecodeSession session)
        {
            double? latitude = null, longitude = null, altitude = null;
            string? country = null;
            bool? indoor = null;
            string? problem = null;
            var seen = 0;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals("latitude"u8))
                {
                    if (FirstTime(ref reader, ref seen, 1, session, "latitude", "location"))
                    {
                        latitude = ReadNumberText(ref reader, "latitude", ref problem);
                    }
                }
                else if (reader.ValueTextEquals("longitude"u8))
                {
                    if (FirstTime(ref reader, ref seen, 2, session, "longitude", "location"))
                    {
                        longitude = ReadNumberText(ref reader, "longitude", ref problem);
                    }
                }
                else if (reader.ValueTextEquals("altitude"u8))
                {
                    if (FirstTime(ref reader, ref seen, 4, session, "altitude", "location"))
                    {
                        altitude = ReadNumberText(ref reader, "altitude", ref problem);
                    }
                }
                else if (reader.ValueTextEquals("country"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 8, session, "country", "location"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    if (token == JsonTokenType.String && TryGetText(ref reader, out var code))
                    {
                        // "" is how the files say "unknown".
                        country = code.IsEmpty ? null : session.ShortString(code);
                    }
                    else if (token != JsonTokenType.Null)
                    {
                        problem ??= $"'country' must be a string, got {TokenName(token)}";
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("indoor"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 16, session, "indoor", "location"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    if (token == JsonTokenType.Number && reader.ValueSpan.Length == 1 && reader.ValueSpan[0] is (byte)'0' or (byte)'1')
                    {
                        indoor = reader.ValueSpan[0] == '1';
                    }
                    else if (token is JsonTokenType.True or JsonTokenType.False)
                    {
                        indoor = token == JsonTokenType.True;
                    }
                    else if (token != JsonTokenType.Null)
                    {
                        problem ??= $"'indoor' must be 0 or 1, got {(token == JsonTokenType.Number ? TextDescription.Of(reader.ValueSpan) : TokenName(token))}";
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    // id, exact_location.
                    SkipValue(ref reader);
                }
            }

            if (problem is not null)
            {
                session.RejectLocation(problem);
            }
            else if (latitude is null && longitude is null)
            {
                // No coordinates: a reading without a location, not a problem.
            }
            else if (latitude is null || longitude is null)
            {
                session.RejectLocation("location needs both 'latitude' and 'longitude'");
            }
            else
            {
                session.SetLocation(new SensorLocation(latitude.Value, longitude.Value, altitude, country, indoor));
            }
        }

        /// <summary>A number sent as a string ("51.044") or as a number; "" and null mean unknown.</summary>
        private static double? ReadNumberText(ref Utf8JsonReader reader, string name, ref string? problem)
        {
            var token = ValueOf(ref reader);
            if (token is JsonTokenType.String or JsonTokenType.Number && TryGetText(ref reader, out var text))
            {
                if (text.IsEmpty)
                {
                    return null;
                }

                if (TextNumber.TryParse(text, out var value, out var numberProblem))
                {
                    return value;
                }

                problem ??= $"'{name}' {numberProblem}";
                return null;
            }

            if (token != JsonTokenType.Null)
            {
                problem ??= $"'{name}' must be a number or a numeric string, got {TokenName(token)}";
                SkipValue(ref reader);
            }

            return null;
        }
    }
}
