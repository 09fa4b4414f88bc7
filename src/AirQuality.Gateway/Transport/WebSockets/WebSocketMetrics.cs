using System.Diagnostics.Metrics;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>
/// The WebSocket transport's OpenTelemetry instruments (meter "AirQuality.Gateway"): what connections hold
/// queued for slow clients, and why the server closed them. The queued sums go back to zero when every
/// connection has ended, which is how an operator (and a test) sees that nothing is kept after a close.
/// The meter belongs to the host's meter factory, which disposes it.
/// </summary>
public sealed class WebSocketMetrics
{
    public const string MeterName = "AirQuality.Gateway";
    public const string ConnectionsName = "airq.gateway.websocket.connections";
    public const string QueuedBytesName = "airq.gateway.websocket.queued_bytes";
    public const string QueuedMessagesName = "airq.gateway.websocket.queued_messages";
    public const string ClosedName = "airq.gateway.websocket.closed";
    public const string RateLimitedName = "airq.gateway.websocket.operations.rate_limited";

    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _queuedBytes;
    private readonly UpDownCounter<long> _queuedMessages;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _rateLimited;

    public WebSocketMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>(ConnectionsName, "{connection}", "GraphQL WebSocket connections open.");
        _queuedBytes = meter.CreateUpDownCounter<long>(QueuedBytesName, "By", "Bytes of messages waiting to be sent to WebSocket clients (the one being sent included).");
        _queuedMessages = meter.CreateUpDownCounter<long>(QueuedMessagesName, "{message}", "Messages waiting to be sent to WebSocket clients.");
        _closed = meter.CreateCounter<long>(ClosedName, "{connection}", "WebSocket connections the server closed, by close code.");
        _rateLimited = meter.CreateCounter<long>(RateLimitedName, "{operation}", "WebSocket operations refused by the per-client rate limit.");
    }

    internal void Opened() => _connections.Add(1);

    internal void Ended() => _connections.Add(-1);

    internal void Queued(long bytes, int messages)
    {
        _queuedBytes.Add(bytes);
        _queuedMessages.Add(messages);
    }

    internal void Closed(int code) => _closed.Add(1, new KeyValuePair<string, object?>("code", code));

    internal void RateLimited() => _rateLimited.Add(1);
}
