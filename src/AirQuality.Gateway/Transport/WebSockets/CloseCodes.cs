namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>The close codes of the graphql-transport-ws protocol.</summary>
internal static class CloseCodes
{
    public const int BadRequest = 4400;
    public const int Unauthorized = 4401;
    public const int Forbidden = 4403;
    public const int InitTimeout = 4408;
    public const int SubscriberExists = 4409;
    public const int TooManyInits = 4429;
}
