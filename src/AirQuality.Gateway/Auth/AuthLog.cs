using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Auth;

/// <summary>Why credentials were refused, for operators; clients hear only "invalid API key" / "invalid token".</summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Gateway auth: reads {Reading}, {ApiKeyCount} API keys, bearer tokens from {Authority}, mutations need role {MutationRole}")]
    public static partial void Configured(ILogger logger, ReadAccess reading, int apiKeyCount, string authority, string mutationRole);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "GraphQL credentials refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "GraphQL bearer token refused: {Failure}")]
    public static partial void TokenRefused(ILogger logger, string failure);

    /// <summary>A null operation is a request refused before its kind was known; a null client is anonymous.</summary>
    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "GraphQL {Operation} refused for {Client}: {Code}")]
    public static partial void Denied(ILogger logger, GraphQLParser.AST.OperationType? operation, string? client, string? code);
}
