using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Transport;

internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "GraphQL request failed; correlation id {CorrelationId}")]
    public static partial void InternalError(ILogger logger, Exception exception, string correlationId);

    /// <summary>A document refused before execution (syntax, depth, fragments): the client's error, so no more than Debug, and never the document.</summary>
    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "GraphQL document refused before execution: {Code} ({Length} characters, SHA-256 {Fingerprint})")]
    public static partial void DocumentRefused(ILogger logger, string? code, int length, string fingerprint);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "GraphQL request stopped after the execution timeout of {Timeout}")]
    public static partial void TimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "GraphQL WebSocket closed with {Code}: {Reason}")]
    public static partial void SocketClosed(ILogger logger, int code, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "GraphQL WebSocket ended by the client or the network")]
    public static partial void SocketLost(ILogger logger, Exception exception);
}
