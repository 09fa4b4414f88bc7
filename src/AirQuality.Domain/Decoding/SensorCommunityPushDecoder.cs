using System.Text.Json;
using AirQuality.Domain.Decoding.Internal;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using static AirQuality.Domain.Decoding.Internal.JsonRecords;

namespace AirQuality.Domain.Decoding;

/// <summary>
/// Decodes what an airrohr (Sensor.Community) device POSTs to /v1/push-sensor-data/: one JSON object per
/// sensor pin, identified by the X-Sensor and X-Pin headers.
/// <code>
/// {"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","value":"66.04"},{"value_type":"P2","value":"53.32"}]}
/// </code>
/// </summary>
/// <remarks>
/// <para>The push is one record (record 1) and gives at most one reading, with sensor id
/// "&lt;X-Sensor&gt;:&lt;X-Pin&gt;" (e.g. "esp8266-15132406:1"). Bad headers or broken JSON reject it whole.</para>
/// <para>Values may be strings (as the firmware sends them) or numbers; value types are mapped by
/// <see cref="SensorCommunityValueTypes"/>. Without a "timestamp" the reading is stamped with the
/// receiver's clock. The sensor type is known only when every value type carries the same sensor prefix
/// ("SDS_P1", "SDS_P2" give "SDS011").</para>
/// <para>Thread-safe: all per-call state lives in the call.</para>
/// </remarks>
public sealed class SensorCommunityPushDecoder
{
    private const int MaxPinDigits = 3;

    private readonly ReadingValidator _validator;
    private readonly TimeProvider _time;

    public SensorCommunityPushDecoder(ReadingValidator validator, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(time);
        _validator = validator;
        _time = time;
    }

    /// <param name="xSensor">The X-Sensor header, or else the Sensor or Node header older firmware sends.</param>
    /// <param name="xPin">The X-Pin header.</param>
    /// <param name="body">The request body.</param>
    public DecodeResult Decode(string? xSensor, string? xPin, ReadOnlySpan<byte> body)
    {
        var session = new DecodeSession(_validator);
        session.BeginRecord(1, null);
        if (HeaderProblem(xSensor, xPin, out var sensorId) is { } headerProblem)
        {
            session.FailRecord(headerProblem);
            session.EndRecord();
            return session.Result;
        }

        session.SetSensorId(sensorId);
        var json = Trim(body, out var offset);
        if (json.IsEmpty)
        {
            session.FailRecord("empty body");
            session.EndRecord();
            return session.Result;
        }

        var reader = new Utf8JsonReader(json, Options);
        try
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadPush(ref reader, session);
            }
            else
            {
                session.FailRecord($"body must be a JSON object, got {TokenName(reader.TokenType)}");
                SkipValue(ref reader);
            }

            // A push is one object; anything after it means the body is not what the firmware sends.
            _ = reader.Read();
        }
        catch (JsonException ex)
        {
            session.RejectRest(1, null, MalformedReason(ex, json, offset), session.Sensor);
            return session.Result;
        }

        if (session.Timestamp is null && !session.RecordFailed)
        {
            // Firmware usually sends no timestamp: the reading is as of its arrival.
            session.SetTimestamp(_time.GetUtcNow());
        }

        session.EndRecord();
        return session.Result;
    }

    private static string? HeaderProblem(string? xSensor, string? xPin, out string sensorId)
    {
        sensorId = "";
        if (string.IsNullOrWhiteSpace(xSensor))
        {
            return "missing X-Sensor header (older firmware sends Sensor or Node): the push cannot be attributed to a sensor";
        }

        if (string.IsNullOrWhiteSpace(xPin))
        {
            return "missing X-Pin header: the push cannot be attributed to a sensor pin";
        }

        var pin = xPin.AsSpan().Trim();
        if (pin.Length > MaxPinDigits || pin.ContainsAnyExceptInRange('0', '9'))
        {
            return $"X-Pin '{TextDescription.Of(pin)}' must be 1 to {MaxPinDigits} digits";
        }

        sensorId = $"{xSensor.AsSpan().Trim()}:{pin}";
        return SensorId.Problem(sensorId) is { } problem
            ? $"invalid X-Sensor header '{TextDescription.Of(xSensor)}': {problem}"
            : null;
    }

    private static void ReadPush(ref Utf8JsonReader reader, DecodeSession session)
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

                var token = ValueOf(ref reader);
                if (token == JsonTokenType.String && TryGetText(ref reader, out var text))
                {
                    session.SetTimestamp(text, requireZone: false);
                }
                else if (token != JsonTokenType.Null)
                {
                    session.FailRecord($"'timestamp' must be a string, got {TokenName(token)}");
                    SkipValue(ref reader);
                }
            }
            else
            {
                // software_version, sampling_rate and whatever newer firmware adds.
                SkipValue(ref reader);
            }
        }

        if (!sawValues)
        {
            session.FailRecord("missing 'sensordatavalues'");
        }

        if (prefixes.SensorType is { } sensorType)
        {
            session.SetSensorType(sensorType);
        }
    }
}
