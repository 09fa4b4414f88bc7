using GraphQL;
using Microsoft.AspNetCore.Http;

namespace AirQuality.Gateway.Auth;

/// <summary>
/// A request refused for want of (valid) credentials or a role, decided before anything runs: 401 with code
/// UNAUTHENTICATED, or 403 with code FORBIDDEN. Messages say what the client must do, never why a token failed.
/// </summary>
public sealed record AccessDenial(int Status, ExecutionError Error, bool InvalidToken = false)
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";

    public static AccessDenial InvalidApiKey() => Unauthorized("invalid API key");

    public static AccessDenial InvalidTokenPresented() => Unauthorized("invalid token") with { InvalidToken = true };

    public static AccessDenial Ambiguous() => Unauthorized("send one credential: either X-Api-Key or Authorization: Bearer, not both");

    public static AccessDenial Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, new ExecutionError(message) { Code = Unauthenticated });

    public static AccessDenial MissingRole(string role) =>
        new(StatusCodes.Status403Forbidden, new ExecutionError($"this operation needs the role '{role}'") { Code = Forbidden });
}
