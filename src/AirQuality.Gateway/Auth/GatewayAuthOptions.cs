namespace AirQuality.Gateway.Auth;

/// <summary>Who may read: anyone (the local default) or only callers with a valid API key or token.</summary>
public enum ReadAccess
{
    Anonymous,
    Authenticated,
}

/// <summary>
/// Authentication and authorisation of the gateway (configuration section "Gateway:Auth"). Mutations always
/// need an API key or a token that carries <see cref="MutationRole"/>; reads need one only in
/// <see cref="ReadAccess.Authenticated"/> mode.
/// </summary>
public sealed class GatewayAuthOptions
{
    public ReadAccess Reading { get; set; } = ReadAccess.Anonymous;

    /// <summary>
    /// The role a caller needs for every mutation: an API key lists it in its Roles, a token carries it in the
    /// role claim (for Entra ID an app role of the API's app registration, given to the client's app or user).
    /// </summary>
    public string MutationRole { get; set; } = "AirQuality.Operator";

    /// <summary>Keys clients send as X-Api-Key; only their SHA-256 hashes are configured.</summary>
    public IList<ApiKeyOptions> ApiKeys { get; } = [];

    public JwtAuthOptions Jwt { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (!Enum.IsDefined(Reading))
        {
            yield return "Gateway:Auth:Reading must be Anonymous or Authenticated";
        }

        if (string.IsNullOrWhiteSpace(MutationRole))
        {
            yield return "Gateway:Auth:MutationRole must name a role";
        }

        for (var i = 0; i < ApiKeys.Count; i++)
        {
            foreach (var problem in ApiKeys[i].Problems($"Gateway:Auth:ApiKeys:{i}"))
            {
                yield return problem;
            }
        }

        // Names identify clients in logs and rate limits; two keys with one hash could not be told apart.
        if (ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k.Name)).GroupBy(k => k.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            yield return "Gateway:Auth:ApiKeys: every key needs a name of its own";
        }

        if (ApiKeys.Where(k => k.Sha256 is not null).GroupBy(k => k.Sha256!.ToUpperInvariant(), StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            yield return "Gateway:Auth:ApiKeys: two keys have the same Sha256";
        }

        foreach (var problem in Jwt.Problems())
        {
            yield return problem;
        }

        if (Reading == ReadAccess.Authenticated && ApiKeys.Count == 0 && !Jwt.Enabled)
        {
            yield return "Gateway:Auth:Reading is Authenticated, but no Gateway:Auth:ApiKeys and no Gateway:Auth:Jwt are configured, so nobody could read";
        }
    }
}

/// <summary>One client's API key: its name (for logs and rate limits), the SHA-256 of the key, and its roles.</summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = "";

    /// <summary>The SHA-256 of the key as 64 hex digits (<c>printf %s "$KEY" | sha256sum</c>); the key itself is never configured.</summary>
    public string? Sha256 { get; set; }

    public IList<string> Roles { get; } = [];

    internal IEnumerable<string> Problems(string path)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return $"{path}:Name must be set";
        }

        if (Sha256 is not { Length: 64 } || !Sha256.All(char.IsAsciiHexDigit))
        {
            yield return $"{path}:Sha256 must be the SHA-256 of the key as 64 hex digits (printf %s \"$KEY\" | sha256sum)";
        }

        if (Roles.Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{path}:Roles must not contain empty names";
        }
    }
}

/// <summary>
/// Bearer tokens (Entra ID or another OpenID Connect issuer). On when <see cref="Authority"/> or
/// <see cref="TenantId"/> is set; the issuer and signing keys come from the authority's metadata.
/// </summary>
public sealed class JwtAuthOptions
{
    /// <summary>The issuer's base URL, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Set this or <see cref="TenantId"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>The Entra ID cloud instance, used with <see cref="TenantId"/> (other clouds have other hosts).</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>The Entra ID tenant (directory) id; the authority is then {Instance}{TenantId}/v2.0.</summary>
    public string? TenantId { get; set; }

    /// <summary>The API's application id URI or client id, which tokens must carry as "aud".</summary>
    public string? Audience { get; set; }

    /// <summary>Issuers accepted besides the metadata's, e.g. https://sts.windows.net/{tenant}/ for Entra v1 tokens.</summary>
    public IList<string> ValidIssuers { get; } = [];

    /// <summary>The claim that carries roles; Entra ID puts app roles in "roles".</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Tokens longer than this are refused before they are parsed.</summary>
    public int MaxTokenLength { get; set; } = 16 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(TenantId);

    /// <summary>The authority tokens are checked against, or null when bearer tokens are off.</summary>
    public string? EffectiveAuthority =>
        !string.IsNullOrWhiteSpace(Authority) ? Authority
        : !string.IsNullOrWhiteSpace(TenantId) ? $"{Instance.TrimEnd('/')}/{TenantId}/v2.0"
        : null;

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(RoleClaim))
        {
            yield return "Gateway:Auth:Jwt:RoleClaim must name a claim";
        }

        if (MaxTokenLength is < 256 or > 256 * 1024)
        {
            yield return "Gateway:Auth:Jwt:MaxTokenLength must be between 256 and 262144";
        }

        if (!Enabled)
        {
            yield break;
        }

        if (!string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(TenantId))
        {
            yield return "Gateway:Auth:Jwt: set either Authority or TenantId (with Instance), not both";
        }

        // Metadata and signing keys come from the authority, so it must be HTTPS, as JwtBearer insists too.
        if (!IsHttpsUrl(EffectiveAuthority))
        {
            yield return string.IsNullOrWhiteSpace(Authority)
                ? "Gateway:Auth:Jwt:Instance must be an https:// URL"
                : "Gateway:Auth:Jwt:Authority must be an https:// URL";
        }

        if (!string.IsNullOrWhiteSpace(TenantId) && !TenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            yield return "Gateway:Auth:Jwt:TenantId must be a tenant id (a GUID) or a domain name";
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return "Gateway:Auth:Jwt:Audience must be set (the API's application id URI or client id)";
        }

        if (ValidIssuers.Any(i => !IsHttpsUrl(i)))
        {
            yield return "Gateway:Auth:Jwt:ValidIssuers must be https:// URLs";
        }
    }

    private static bool IsHttpsUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
