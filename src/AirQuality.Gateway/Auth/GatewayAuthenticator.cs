using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AirQuality.Gateway.Auth;

/// <summary>What authentication found: a caller (possibly anonymous) or a refusal.</summary>
public readonly record struct AuthResult(GatewayCaller Caller, AccessDenial? Denial)
{
    public static AuthResult Refused(AccessDenial denial) => new(GatewayCaller.Anonymous, denial);
}

/// <summary>
/// Turns the credentials a client presents (X-Api-Key, or Authorization: Bearer) into a <see cref="GatewayCaller"/>.
/// No credentials: anonymous. Credentials that are present must be valid, whatever the operation: a client
/// with a wrong key or an expired token hears so (401) rather than quietly being served as anonymous.
/// </summary>
/// <remarks>
/// Tokens are validated with JwtBearer's options (metadata and key rollover from the authority, token handlers,
/// validation parameters) but not through the authentication middleware: the gateway authenticates inside its
/// own endpoint, so a token sent in a WebSocket's connection_init goes the same way as a header, and mounting
/// the gateway changes nothing for the host's other endpoints.
/// </remarks>
public sealed class GatewayAuthenticator(
    ApiKeyRing keys, IOptions<GatewayOptions> options, IOptionsMonitor<JwtBearerOptions> jwtOptions, ILogger<GatewayAuthenticator> logger)
{
    /// <summary>The name of the gateway's <see cref="JwtBearerOptions"/> (tests configure signing keys through it).</summary>
    public const string JwtScheme = "AirQualityGateway";

    public const string ApiKeyHeader = "X-Api-Key";

    private const string BearerScheme = "Bearer";
    private readonly JwtAuthOptions _jwt = options.Value.Auth.Jwt;

    public Task<AuthResult> AuthenticateAsync(IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var apiKey = headers[ApiKeyHeader];
        var authorization = headers.Authorization;
        if (apiKey.Count > 1 || authorization.Count > 1)
        {
            AuthLog.Refused(logger, "credential header repeated");
            return Task.FromResult(AuthResult.Refused(AccessDenial.Ambiguous()));
        }

        return AuthenticateAsync(apiKey.ToString(), authorization.ToString(), cancellationToken);
    }

    public async Task<AuthResult> AuthenticateAsync(string? apiKey, string? authorization, CancellationToken cancellationToken)
    {
        var hasKey = !string.IsNullOrEmpty(apiKey);
        var hasAuthorization = !string.IsNullOrEmpty(authorization);
        if (hasKey && hasAuthorization)
        {
            AuthLog.Refused(logger, "both an API key and an Authorization header");
            return AuthResult.Refused(AccessDenial.Ambiguous());
        }

        if (hasKey)
        {
            if (keys.Find(apiKey) is { } key)
            {
                return new AuthResult(GatewayCaller.FromApiKey(key), null);
            }

            AuthLog.Refused(logger, keys.IsEmpty ? "API key sent, but no Gateway:Auth:ApiKeys are configured" : "API key not recognised");
            return AuthResult.Refused(AccessDenial.InvalidApiKey());
        }

        return hasAuthorization ? await ValidateBearerAsync(authorization!, cancellationToken) : new AuthResult(GatewayCaller.Anonymous, null);
    }

    private async Task<AuthResult> ValidateBearerAsync(string authorization, CancellationToken cancellationToken)
    {
        // "Bearer" alone (a client that sent "Bearer " with no token; HTTP trims the space) is an empty token.
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (!(space < 0 ? authorization : authorization[..space]).Equals(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            AuthLog.Refused(logger, "Authorization header without the Bearer scheme");
            return AuthResult.Refused(AccessDenial.Unauthorized("the Authorization header must be 'Bearer <token>'"));
        }

        var token = space < 0 ? "" : authorization[(space + 1)..].Trim();
        if (!_jwt.Enabled || token.Length == 0 || token.Length > _jwt.MaxTokenLength)
        {
            AuthLog.Refused(logger, !_jwt.Enabled ? "bearer token sent, but Gateway:Auth:Jwt is not configured" : "bearer token empty or too long");
            return AuthResult.Refused(AccessDenial.InvalidTokenPresented());
        }

        var jwt = jwtOptions.Get(JwtScheme);
        Exception? failure = null;
        try
        {
            var parameters = await ParametersAsync(jwt, cancellationToken);
            foreach (var handler in jwt.TokenHandlers)
            {
                var result = await handler.ValidateTokenAsync(token, parameters);
                if (result.IsValid)
                {
                    var validTo = new DateTimeOffset(DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc));
                    return new AuthResult(GatewayCaller.FromToken(result.ClaimsIdentity, validTo + parameters.ClockSkew), null);
                }

                failure = result.Exception;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unreadable tokens and an unreachable authority end up here; the client hears only "invalid token".
            failure = e;
        }

        // Keys roll over: a token signed with a key the cached metadata lacks makes the next request fetch it anew.
        if (failure is SecurityTokenSignatureKeyNotFoundException && jwt.RefreshOnIssuerKeyNotFound)
        {
            jwt.ConfigurationManager?.RequestRefresh();
        }

        var reason = failure?.GetType().Name ?? "no token handler";
        AuthLog.TokenRefused(logger, reason);

        return AuthResult.Refused(AccessDenial.InvalidTokenPresented());
    }

    /// <summary>As JwtBearerHandler does: the issuer and signing keys come from the authority's metadata.</summary>
    private static async Task<TokenValidationParameters> ParametersAsync(JwtBearerOptions jwt, CancellationToken cancellationToken)
    {
        var parameters = jwt.TokenValidationParameters.Clone();
        if (jwt.ConfigurationManager is BaseConfigurationManager manager)
        {
            parameters.ConfigurationManager = manager;
        }
        else if (jwt.ConfigurationManager is not null)
        {
            var configuration = await jwt.ConfigurationManager.GetConfigurationAsync(cancellationToken);
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        }

        return parameters;
    }
}
