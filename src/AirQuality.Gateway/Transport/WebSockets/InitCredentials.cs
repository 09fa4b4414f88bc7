using System.Text.Json;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>
/// Credentials in a connection_init payload: "apiKey" (or "x-api-key") and "authorization" ("Bearer …"), names
/// matched without regard to case, as graphql-ws clients send them in connectionParams.
/// </summary>
internal static class InitCredentials
{
    /// <summary>False when the payload holds a credential that is not a string: refused like a wrong one.</summary>
    public static bool TryRead(JsonElement payload, out string? apiKey, out string? authorization)
    {
        apiKey = null;
        authorization = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        foreach (var property in payload.EnumerateObject())
        {
            var isKey = property.Name.Equals("apiKey", StringComparison.OrdinalIgnoreCase)
                || property.Name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase);
            var isAuthorization = property.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase);
            if (!isKey && !isAuthorization)
            {
                continue;
            }

            // A credential given twice, or not as text, is a client mistake to refuse rather than guess at.
            if (property.Value.ValueKind != JsonValueKind.String || (isKey ? apiKey : authorization) is not null)
            {
                return false;
            }

            if (isKey)
            {
                apiKey = property.Value.GetString();
            }
            else
            {
                authorization = property.Value.GetString();
            }
        }

        return true;
    }
}
