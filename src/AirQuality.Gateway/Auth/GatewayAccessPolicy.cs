using System.Security.Claims;
using GraphQL;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Auth;

/// <summary>
/// Who may run what, decided before execution: reads need a caller only in Authenticated mode, mutations
/// always need one with <see cref="GatewayAuthOptions.MutationRole"/>.
/// </summary>
public sealed class GatewayAccessPolicy(IOptions<GatewayOptions> options, TimeProvider time, ILogger<GatewayAccessPolicy> logger)
{
    private readonly GatewayAuthOptions _auth = options.Value.Auth;

    public string MutationRole => _auth.MutationRole;

    /// <summary>Null when the caller may run the operation (null operation: the request's kind is not known yet).</summary>
    public AccessDenial? Check(GatewayCaller caller, OperationType? operation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var denial = Decide(caller, operation);
        if (denial is not null)
        {
            AuthLog.Denied(logger, operation, caller.Client, denial.Error.Code);
        }

        return denial;
    }

    /// <summary>A read outside GraphQL (REST, CSV): the rule of a GraphQL query, so keys and tokens work the same everywhere.</summary>
    public AccessDenial? CheckRead(GatewayCaller caller) => Check(caller, OperationType.Query);

    /// <summary>
    /// The resolvers' own check, behind the transports' (which refuse before anything runs): a mutation reached
    /// some other way still does not run without the role.
    /// </summary>
    public void EnsureMayMutate(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            throw AccessDenial.Unauthorized(MutationsNeed()).Error;
        }

        if (!user.IsInRole(_auth.MutationRole))
        {
            throw AccessDenial.MissingRole(_auth.MutationRole).Error;
        }
    }

    /// <summary>The WWW-Authenticate challenges for a 401: the schemes this gateway accepts.</summary>
    public IEnumerable<string> Challenges(AccessDenial denial)
    {
        ArgumentNullException.ThrowIfNull(denial);
        if (_auth.Jwt.Enabled)
        {
            // RFC 6750: error="invalid_token" without a description, which would tell an attacker why.
            yield return denial.InvalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        }

        if (_auth.ApiKeys.Count > 0 || !_auth.Jwt.Enabled)
        {
            yield return $"ApiKey header=\"{GatewayAuthenticator.ApiKeyHeader}\"";
        }
    }

    private AccessDenial? Decide(GatewayCaller caller, OperationType? operation)
    {
        if (caller.ValidUntil is { } until && until <= time.GetUtcNow())
        {
            return AccessDenial.Unauthorized("the token has expired: connect again with a new one");
        }

        if (operation == OperationType.Mutation)
        {
            return !caller.IsAuthenticated ? AccessDenial.Unauthorized(MutationsNeed())
                : !caller.Principal.IsInRole(_auth.MutationRole) ? AccessDenial.MissingRole(_auth.MutationRole)
                : null;
        }

        return _auth.Reading == ReadAccess.Authenticated && !caller.IsAuthenticated
            ? AccessDenial.Unauthorized($"this gateway needs {Credentials()}")
            : null;
    }

    private string MutationsNeed() => $"mutations need {Credentials()} with the role '{_auth.MutationRole}'";

    private string Credentials() => (_auth.ApiKeys.Count > 0, _auth.Jwt.Enabled) switch
    {
        (true, true) => "an X-Api-Key header or an Authorization: Bearer token",
        (true, false) => "an X-Api-Key header",
        (false, true) => "an Authorization: Bearer token",
        _ => "an API key or a token, and none are configured on this gateway",
    };
}
