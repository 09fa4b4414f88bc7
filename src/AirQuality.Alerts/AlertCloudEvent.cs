using System.Globalization;
using System.Text;
using System.Text.Json;
using AirQuality.Contracts;
using Azure.Messaging;

namespace AirQuality.Alerts;

/// <summary>
/// The CloudEvents 1.0 envelope of an alert change, as one type for every channel: Azure's <see cref="CloudEvent"/>, which
/// Event Grid's publisher client takes as it is, written once to structured-mode JSON (what a webhook receives and what the
/// outbox stores).
/// </summary>
/// <remarks>
/// The JSON is written here rather than by Azure's own converter because receivers already know its exact shape: the
/// attributes in this order, <c>time</c> as UTC with seven fraction digits and a <c>Z</c> (the converter writes
/// <c>+00:00</c> and trims the digits), <c>data</c> as the alert serialised with the web defaults. The id is the same for
/// the same alert change whenever and however often it is sent, so receivers dedupe on it.
/// </remarks>
public static class AlertCloudEvent
{
    /// <summary>The content type of <c>data</c>: the alert as JSON.</summary>
    public const string DataContentType = "application/json";

    /// <summary>The CloudEvents version written (Azure's type is of this version and keeps it to itself).</summary>
    public const string SpecVersion = "1.0";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The CloudEvent id of an alert change: <c>{alert id}/{kind}/{UTC ticks of the change}</c>.</summary>
    public static string Id(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        return $"{alertEvent.Alert.Id}/{alertEvent.Kind}/{alertEvent.At.UtcTicks}";
    }

    /// <summary>The CloudEvent of an alert change: type <c>org.airquality.alert.{kind}</c>, source <c>/sensors/{sensor id}</c>, subject the rule.</summary>
    public static CloudEvent From(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        var data = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(alertEvent.Alert, Json));
        return new CloudEvent(
            $"/sensors/{Uri.EscapeDataString(alertEvent.Alert.SensorId)}",
            $"org.airquality.alert.{alertEvent.Kind}",
            data,
            DataContentType,
            CloudEventDataFormat.Json)
        {
            Id = Id(alertEvent),
            Subject = alertEvent.Alert.Rule,
            Time = alertEvent.At,
        };
    }

    /// <summary>
    /// The structured-mode JSON of <paramref name="cloudEvent"/> (its data must be JSON, as <see cref="From"/> makes it);
    /// <see cref="CloudEvent.Parse(BinaryData, bool)"/> reads it back.
    /// </summary>
    public static string ToJson(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", SpecVersion);
            writer.WriteString("type", cloudEvent.Type);
            writer.WriteString("source", cloudEvent.Source);
            WriteIfSet(writer, "subject", cloudEvent.Subject);
            writer.WriteString("id", cloudEvent.Id);
            WriteIfSet(writer, "time", cloudEvent.Time?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            WriteIfSet(writer, "dataschema", cloudEvent.DataSchema);
            WriteIfSet(writer, "datacontenttype", cloudEvent.DataContentType);
            foreach (var (name, value) in cloudEvent.ExtensionAttributes)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, value, Json);
            }

            if (cloudEvent.Data is { } data)
            {
                // As serialised, byte for byte; the writer still checks that it is one JSON value.
                writer.WritePropertyName("data");
                writer.WriteRawValue(data.ToMemory().Span);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
