using System.Text.Json;
using System.Text.Unicode;
using AirQuality.Domain.Decoding.Internal;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using static AirQuality.Domain.Decoding.Internal.JsonRecords;

namespace AirQuality.Domain.Decoding;

/// <summary>
/// Decodes the product's own reading format: one reading object, a JSON array of them, or NDJSON.
/// <code>
/// {"sensorId":"s1","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":12.3,"pm10":20.1},
///  "location":{"latitude":51.04,"longitude":13.74,"altitude":120,"country":"DE","indoor":false},"sensorType":"SDS011"}
/// </code>
/// </summary>
/// <remarks>
/// <para>Values are JSON numbers already in each quantity's canonical unit (<see cref="Quantity.CanonicalUnit"/>);
/// names go through <see cref="Quantity.TryParseUtf8"/>, unknown names are kept. Timestamps must carry
/// a UTC offset or Z and are normalised to UTC. Property names are case-sensitive; unknown ones are ignored.</para>
/// <para>Records are numbered from 1: array elements, or non-blank NDJSON lines (which also get their line
/// number). A rejection with record number 0 is about the input as a whole ("empty body").</para>
/// <para>An NDJSON line that is not valid JSON is rejected on its own. In a JSON array a syntax error ends
/// the reading: the elements read completely before it are kept, and one rejection covers the rest.</para>
/// <para>Thread-safe: all per-call state lives in the call.</para>
/// </remarks>
public sealed partial class CanonicalJsonDecoder
{
    private readonly ReadingValidator _validator;

    public CanonicalJsonDecoder(ReadingValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
    }

    public DecodeResult Decode(ReadOnlySpan<byte> utf8, CanonicalLayout layout = CanonicalLayout.Auto)
    {
        var session = new DecodeSession(_validator);
        var body = Trim(utf8, out var offset);
        if (body.IsEmpty)
        {
            session.RejectWholeInput("empty body");
            return session.Result;
        }

        if (layout == CanonicalLayout.Auto)
        {
            layout = body[0] == (byte)'{' ? DetectObjectLayout(body) : CanonicalLayout.Json;
        }

        if (layout == CanonicalLayout.Ndjson)
        {
            DecodeLines(SkipBom(utf8, out var bomLength), bomLength, session);
        }
        else
        {
            DecodeArrayOrObject(body, offset, session, default(RecordReader));
        }

        return session.Result;
    }

    /// <summary>
    /// A body starting with '{' is one object if it holds exactly one JSON value, and NDJSON if more follow.
    /// When the JSON is broken, it is NDJSON if its first or second non-blank line is a complete value
    /// on its own (a garbage line among good ones), and otherwise one broken object.
    /// </summary>
    private static CanonicalLayout DetectObjectLayout(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options with { AllowMultipleValues = true });
        try
        {
            _ = reader.Read();
            SkipValue(ref reader);
            return reader.Read() ? CanonicalLayout.Ndjson : CanonicalLayout.Json;
        }
        catch (JsonException)
        {
        }

        var checkedLines = 0;
        foreach (var range in body.Split((byte)'\n'))
        {
            var line = body[range];
            if (IsBlank(line))
            {
                continue;
            }

            if (IsCompleteValue(line))
            {
                return CanonicalLayout.Ndjson;
            }

            if (++checkedLines == 2)
            {
                break;
            }
        }

        return CanonicalLayout.Json;
    }

    private static bool IsCompleteValue(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        try
        {
            _ = reader.Read();
            SkipValue(ref reader);
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void DecodeLines(ReadOnlySpan<byte> body, int offset, DecodeSession session)
    {
        var record = 0;
        long lineNumber = 0;
        var position = 0;
        while (position < body.Length)
        {
            lineNumber++;
            var rest = body[position..];
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            var lineOffset = offset + position;
            position += newline < 0 ? rest.Length : newline + 1;
            if (IsBlank(line))
            {
                continue;
            }

            record++;
            DecodeLine(line, lineOffset, session, record, lineNumber);
        }
    }

    /// <summary>One non-blank NDJSON line, record <paramref name="record"/>; <paramref name="lineOffset"/> is where it starts in the body.</summary>
    private static void DecodeLine(ReadOnlySpan<byte> line, long lineOffset, DecodeSession session, int record, long lineNumber)
    {
        var reader = new Utf8JsonReader(line, Options);
        try
        {
            Next(ref reader);
            ReadElement(ref reader, session, default(RecordReader), record, lineNumber, "line must be a JSON object");
            // Anything but white space after the object makes the whole line garbage; Read throws on it.
            _ = reader.Read();
            session.EndRecord();
        }
        catch (JsonException ex)
        {
            session.RejectRest(record, lineNumber, MalformedReason(ex, line, lineOffset));
        }
    }

    /// <summary>Reads one reading object. A struct so the generic record driver is specialised for it.</summary>
    private readonly struct RecordReader : IJsonRecordReader
    {
        public void ReadRecord(ref Utf8JsonReader reader, DecodeSession session)
        {
            var sawValues = false;
            var seen = 0;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals("sensorId"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 1, session, "sensorId"))
                    {
                        continue;
                    }

                    if (ValueOf(ref reader) == JsonTokenType.String && TryGetText(ref reader, out var id))
                    {
                        session.SetSensorId(id);
                    }
                    else
                    {
                        session.FailRecord($"'sensorId' must be a string, got {TokenName(reader.TokenType)}");
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
                        session.SetTimestamp(text, requireZone: true);
                    }
                    else
                    {
                        session.FailRecord($"'timestamp' must be a string, got {TokenName(reader.TokenType)}");
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("values"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 4, session, "values"))
                    {
                        continue;
                    }

                    sawValues = true;
                    if (ValueOf(ref reader) == JsonTokenType.StartObject)
                    {
                        ReadValues(ref reader, session);
                    }
                    else
                    {
                        session.FailRecord($"'values' must be an object, got {TokenName(reader.TokenType)}");
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
                else if (reader.ValueTextEquals("sensorType"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 16, session, "sensorType"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    if (token == JsonTokenType.String && TryGetText(ref reader, out var type))
                    {
                        session.SetSensorType(type);
                    }
                    else if (token != JsonTokenType.Null)
                    {
                        session.RejectSensorType($"'sensorType' must be a string, got {TokenName(token)}");
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    // Unknown properties are ignored: senders may add fields before we know them.
                    SkipValue(ref reader);
                }
            }

            session.RequireSensorTimeAndValues("sensorId", sawValues, "values");
        }

        private static void ReadValues(ref Utf8JsonReader reader, DecodeSession session)
        {
            session.ResetKeys();
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return;
                }

                string? badName = null;
                var gotName = TryGetText(ref reader, out var name);
                if (gotName && !session.AddKey(name))
                {
                    // The same key twice (not two spellings of one quantity, which keep the first value).
                    session.DuplicateKey(TextDescription.Of(name), "values");
                    Next(ref reader);
                    SkipValue(ref reader);
                    continue;
                }

                if (!gotName || !TryResolve(session, name, out var quantity))
                {
                    badName = TextDescription.Of(reader.ValueSpan);
                    quantity = default;
                }

                var token = ValueOf(ref reader);
                if (badName is not null)
                {
                    session.RejectValue(badName, $"'{badName}' is not an acceptable quantity name (1 to {Quantity.MaxNameLength} characters of valid UTF-8, no control characters or quotes)");
                    SkipValue(ref reader);
                }
                else if (token != JsonTokenType.Number)
                {
                    session.RejectValue(quantity.Name, $"value for '{quantity.Name}' must be a number, got {TokenName(token)}");
                    SkipValue(ref reader);
                }
                else if (reader.TryGetDouble(out var value) && double.IsFinite(value))
                {
                    session.AddValue(quantity, value);
                }
                else
                {
                    // The reader reads 1e400 (or a 1000-digit integer) as infinity.
                    session.RejectValue(quantity.Name, $"value for '{quantity.Name}' is not a finite number ({TextDescription.Of(reader.ValueSpan)})");
                }
            }
        }

        private static bool TryResolve(DecodeSession session, ReadOnlySpan<byte> name, out Quantity quantity)
        {
            if (session.QuantityNames.TryGet(name, out quantity))
            {
                return true;
            }

            if (!Utf8.IsValid(name) || !Quantity.TryParseUtf8(name, out quantity))
            {
                return false;
            }

            session.QuantityNames.Add(name, quantity);
            return true;
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
                        latitude = ReadCoordinate(ref reader, "latitude", ref problem);
                    }
                }
                else if (reader.ValueTextEquals("longitude"u8))
                {
                    if (FirstTime(ref reader, ref seen, 2, session, "longitude", "location"))
                    {
                        longitude = ReadCoordinate(ref reader, "longitude", ref problem);
                    }
                }
                else if (reader.ValueTextEquals("altitude"u8))
                {
                    if (FirstTime(ref reader, ref seen, 4, session, "altitude", "location"))
                    {
                        altitude = ReadCoordinate(ref reader, "altitude", ref problem);
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
                        country = session.ShortString(code);
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
                    if (token is JsonTokenType.True or JsonTokenType.False)
                    {
                        indoor = token == JsonTokenType.True;
                    }
                    else if (token != JsonTokenType.Null)
                    {
                        problem ??= $"'indoor' must be true or false, got {TokenName(token)}";
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            if (problem is not null)
            {
                session.RejectLocation(problem);
            }
            else if (latitude is null || longitude is null)
            {
                session.RejectLocation("location needs 'latitude' and 'longitude'");
            }
            else
            {
                session.SetLocation(new SensorLocation(latitude.Value, longitude.Value, altitude, country, indoor));
            }
        }

        private static double? ReadCoordinate(ref Utf8JsonReader reader, string name, ref string? problem)
        {
            var token = ValueOf(ref reader);
            if (token == JsonTokenType.Number && reader.TryGetDouble(out var value) && double.IsFinite(value))
            {
                return value;
            }

            if (token != JsonTokenType.Null)
            {
                problem ??= token == JsonTokenType.Number
                    ? $"'{name}' is not a finite number"
                    : $"'{name}' must be a number, got {TokenName(token)}";
                SkipValue(ref reader);
            }

            return null;
        }
    }
}
