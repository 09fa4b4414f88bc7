using System.Globalization;
using System.Text.Json;
using static AirQuality.Domain.Decoding.Internal.JsonRecords;

namespace AirQuality.Domain.Decoding.Internal;

/// <summary>
/// Notes the sensor prefixes of a push's value types ("SDS" of "SDS_P1"), so that the sensor type can be
/// derived when they all agree.
/// </summary>
internal struct SensorPrefixes
{
    private string? _prefix;
    private bool _conflicting;

    public void Add(string? prefix)
    {
        if (prefix is null)
        {
            return;
        }

        if (_prefix is null)
        {
            _prefix = prefix;
        }
        else if (!string.Equals(_prefix, prefix, StringComparison.OrdinalIgnoreCase))
        {
            _conflicting = true;
        }
    }

    public readonly string? SensorType => _prefix is null || _conflicting ? null : SensorCommunityValueTypes.SensorTypeOfPrefix(_prefix);
}

/// <summary>The parts of the Sensor.Community JSON that the device push and the open-data records share.</summary>
internal static class SensorCommunityJson
{
    /// <summary>
    /// Reads <c>"sensordatavalues":[{"value_type":"P1","value":"66.04"}, ...]</c>; the reader is on the
    /// StartArray and is left on the EndArray. Each entry is one value: a bad entry rejects that value only.
    /// </summary>
    public static void ReadDataValues(ref Utf8JsonReader reader, DecodeSession session, ref SensorPrefixes prefixes)
    {
        var index = 0;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                session.RejectValue(EntryName(index), $"entry must be an object with 'value_type' and 'value', got {TokenName(reader.TokenType)}");
                SkipValue(ref reader);
                index++;
                continue;
            }

            ReadOnlySpan<byte> valueType = default;
            ReadOnlySpan<byte> value = default;
            var hasValueType = false;
            var valueToken = JsonTokenType.None;
            string? entryProblem = null;
            var seen = 0;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals("value_type"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 1, session, "value_type", "sensordatavalues"))
                    {
                        continue;
                    }

                    var token = ValueOf(ref reader);
                    if (token == JsonTokenType.String && TryGetText(ref reader, out valueType))
                    {
                        hasValueType = true;
                    }
                    else
                    {
                        entryProblem ??= $"'value_type' must be a string, got {TokenName(token)}";
                        SkipValue(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    if (!FirstTime(ref reader, ref seen, 2, session, "value", "sensordatavalues"))
                    {
                        continue;
                    }

                    // Kept as text until the entry ends: "value" often comes before "value_type".
                    valueToken = ValueOf(ref reader);
                    if (valueToken == JsonTokenType.String)
                    {
                        if (!TryGetText(ref reader, out value))
                        {
                            entryProblem ??= "'value' is not valid text";
                        }
                    }
                    else if (valueToken == JsonTokenType.Number)
                    {
                        value = reader.ValueSpan;
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            AddEntry(session, ref prefixes, index, hasValueType, valueType, valueToken, value, entryProblem);
            index++;
        }
    }

    private static void AddEntry(
        DecodeSession session,
        ref SensorPrefixes prefixes,
        int index,
        bool hasValueType,
        ReadOnlySpan<byte> valueType,
        JsonTokenType valueToken,
        ReadOnlySpan<byte> value,
        string? entryProblem)
    {
        if (!hasValueType)
        {
            session.RejectValue(EntryName(index), entryProblem ?? "entry has no 'value_type'");
            return;
        }

        if (!TryResolve(session, valueType, out var mapped))
        {
            var shown = TextDescription.Of(valueType);
            session.RejectValue(shown, $"value type '{shown}' is not acceptable (1 to 64 characters of valid UTF-8, no control characters or quotes)");
            return;
        }

        var name = mapped.Quantity.Name;
        if (entryProblem is not null)
        {
            session.RejectValue(name, $"value for '{TextDescription.Of(valueType)}': {entryProblem}");
            return;
        }

        if (valueToken is not (JsonTokenType.String or JsonTokenType.Number))
        {
            var got = valueToken == JsonTokenType.None ? "is missing" : $"must be a number or a numeric string, got {TokenName(valueToken)}";
            session.RejectValue(name, $"value for '{TextDescription.Of(valueType)}' {got}");
            return;
        }

        if (!TextNumber.TryParse(value, out var number, out var problem))
        {
            session.RejectValue(name, $"value for '{TextDescription.Of(valueType)}' {problem}");
            return;
        }

        prefixes.Add(mapped.SensorPrefix);
        session.AddValue(mapped.Quantity, mapped.ToCanonical(number));
    }

    private static bool TryResolve(DecodeSession session, ReadOnlySpan<byte> valueType, out SensorCommunityValueType mapped)
    {
        if (session.ValueTypes.TryGet(valueType, out mapped))
        {
            return true;
        }

        if (!SensorCommunityValueTypes.TryMapUtf8(valueType, out mapped))
        {
            return false;
        }

        session.ValueTypes.Add(valueType, mapped);
        return true;
    }

    private static string EntryName(int index) => string.Create(CultureInfo.InvariantCulture, $"sensordatavalues[{index}]");
}
