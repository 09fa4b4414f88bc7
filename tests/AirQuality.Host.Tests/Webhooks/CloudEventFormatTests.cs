using System.Text.Json;
using AirQuality.Alerts;
using AirQuality.Alerts.Webhooks;
using AirQuality.Contracts;
using Azure.Messaging;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>
/// The CloudEvent an alert change becomes, pinned to the JSON the first webhook implementation wrote: receivers
/// dedupe on its id and read its fields, so a change of mapping or serialiser must not change a byte of it.
/// </summary>
public sealed class CloudEventFormatTests
{
    // An acknowledged alert of a sensor whose id needs escaping in the source, its times off UTC and with
    // sub-second ticks, and a message with characters the JSON encoder escapes.
    private static readonly AlertEvent Acknowledged = new(
        "acknowledged",
        new AlertView(
            "sensor 7/ä/pm25-high/639000000000000000",
            "sensor 7/ä",
            "pm25-high",
            AlertStateView.Acknowledged,
            "critical",
            new DateTimeOffset(2026, 11, 23, 11, 0, 0, TimeSpan.FromHours(1)),
            new DateTimeOffset(2026, 11, 23, 11, 30, 15, TimeSpan.FromHours(1)).AddTicks(1234567),
            null,
            152.5,
            "PM2.5 over 100 µg/m³ <for 10 min> & \"rising\""),
        new DateTimeOffset(2026, 11, 23, 11, 30, 15, TimeSpan.FromHours(1)).AddTicks(1234567));

    // Written by WebhookAlertSink.ToCloudEvent through System.Text.Json's web defaults (commit 958f280), byte for byte.
    private const string ExpectedJson =
        """
        {"specversion":"1.0","type":"org.airquality.alert.acknowledged","source":"/sensors/sensor%207%2F%C3%A4","subject":"pm25-high","id":"sensor 7/\u00E4/pm25-high/639000000000000000/acknowledged/639310266151234567","time":"2026-11-23T10:30:15.1234567Z","datacontenttype":"application/json","data":{"id":"sensor 7/\u00E4/pm25-high/639000000000000000","sensorId":"sensor 7/\u00E4","rule":"pm25-high","state":1,"severity":"critical","raisedAt":"2026-11-23T11:00:00+01:00","acknowledgedAt":"2026-11-23T11:30:15.1234567+01:00","clearedAt":null,"triggerValue":152.5,"message":"PM2.5 over 100 \u00B5g/m\u00B3 \u003Cfor 10 min\u003E \u0026 \u0022rising\u0022"}}
        """;

    [Fact]
    public void An_alert_change_maps_to_the_same_cloudevent_json_as_before()
    {
        var cloudEvent = AlertCloudEvent.From(Acknowledged);

        Assert.Equal(AlertCloudEvent.Id(Acknowledged), cloudEvent.Id);
        Assert.Equal(ExpectedJson, AlertCloudEvent.ToJson(cloudEvent));
    }

    [Fact]
    public void The_json_reads_back_as_the_same_cloudevent_for_channels_that_send_the_type_itself()
    {
        var sent = AlertCloudEvent.From(Acknowledged);

        var read = CloudEvent.Parse(BinaryData.FromString(AlertCloudEvent.ToJson(sent)))!;

        Assert.Equal((sent.Id, sent.Type, sent.Source, sent.Subject, sent.Time, sent.DataContentType), (read.Id, read.Type, read.Source, read.Subject, read.Time, read.DataContentType));
        // Parsing re-encodes the data (it escapes '+'), so the data is the same JSON value, not the same bytes.
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(sent.Data!).RootElement, JsonDocument.Parse(read.Data!).RootElement), read.Data!.ToString());
    }

    [Fact]
    public async Task The_sink_stores_an_alert_change_as_the_same_structured_json_as_before()
    {
        await using var rig = new DeliveryRig(new WebhookOptions { Urls = [new Uri("http://127.0.0.1:9/hook")] });

        await rig.Sink.PublishAsync(Acknowledged, CancellationToken.None);

        var stored = Assert.Single(await rig.Outbox.LeaseDueAsync(WebhookChannel.ChannelName, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal("sensor 7/ä/pm25-high/639000000000000000/acknowledged/639310266151234567", stored.EventId);
        Assert.Equal(ExpectedJson, stored.Payload);
    }
}
