namespace AirQuality.Alerts.Outbox;

/// <summary>
/// What is to be delivered: <see cref="Payload"/> is sent exactly as stored, every time; <see cref="EventId"/>
/// is the event's stable id (the CloudEvent id) by which the outbox and receivers recognise a repeat; messages
/// with the same <see cref="OrderingKey"/> (the sensor id) reach a destination in enqueue order.
/// </summary>
public sealed record OutboxMessage(string EventId, string OrderingKey, string Payload);
