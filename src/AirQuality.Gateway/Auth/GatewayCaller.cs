using System.Security.Claims;

namespace AirQuality.Gateway.Auth;

/// <summary>
/// Who sent a request: anonymous, an API key (by its configured name) or a token's subject. Its principal
/// is what resolvers see as the user; <see cref="ValidUntil"/> bounds how long a WebSocket may use a token.
/// </summary>
public sealed class GatewayCaller
{
    public const string ApiKeyAuthentication = "ApiKey";
    public const string BearerAuthentication = "Bearer";

    private GatewayCaller(ClaimsPrincipal principal, string? client, DateTimeOffset? validUntil)
    {
        Principal = principal;
        Client = client;
        ValidUntil = validUntil;
    }

    public static GatewayCaller Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()), null, null);

    public ClaimsPrincipal Principal { get; }

    /// <summary>The API key's name or the token's subject: for logs, never a secret.</summary>
    public string? Client { get; }

    /// <summary>When the credential stops being valid (a token's expiry plus the allowed clock skew); null for keys.</summary>
    public DateTimeOffset? ValidUntil { get; }

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;

    public static GatewayCaller FromApiKey(ApiKeyOptions key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), .. key.Roles.Select(r => new Claim(ClaimTypes.Role, r))],
            ApiKeyAuthentication,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new GatewayCaller(new ClaimsPrincipal(identity), key.Name, null);
    }

    public static GatewayCaller FromToken(ClaimsIdentity identity, DateTimeOffset validUntil)
    {
        ArgumentNullException.ThrowIfNull(identity);

        // Entra app-only tokens have no user name; azp / appid name the client application instead.
        var client = identity.FindFirst("oid")?.Value ?? identity.FindFirst("sub")?.Value
            ?? identity.FindFirst("azp")?.Value ?? identity.FindFirst("appid")?.Value;
        return new GatewayCaller(new ClaimsPrincipal(identity), client, validUntil);
    }
}
