namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>The close codes of the graphql-transport-ws protocol, and the RFC 6455 one the server adds.</summary>
internal static class CloseCodes
{
    public const int BadRequest = 4400;
    public const int Unauthorized = 4401;
    public const int Forbidden = 4403;
    public const int InitTimeout = 4408;
    public const int SubscriberExists = 4409;
    public const int TooManyInits = 4429;

    /// <summary>
    /// RFC 6455 "Try Again Later" (1013): the client did not read what it asked for and its outgoing queue is full.
    /// graphql-ws clients retry after it with back-off (1008 would make them give up; 4429 already means a second
    /// init), and a client that was only slow for a while may well do better on a new connection.
    /// </summary>
    public const int OutgoingQueueFull = 1013;
}
