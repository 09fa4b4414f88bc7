using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Auth;

/// <summary>Who an endpoint is for; every mapped endpoint carries one (a test enumerates them all).</summary>
public enum AccessClass
{
    /// <summary>Anyone: probes (/healthz, /readyz), the IDE page.</summary>
    Public,

    /// <summary>Reads of sensor data (REST, CSV, GraphQL): <see cref="GatewayAccessPolicy"/> decides, as for GraphQL.</summary>
    Read,

    /// <summary>Devices sending readings: the ingest API's own key check (Ingest:RequireApiKey) decides.</summary>
    Ingest,
}

/// <summary>The endpoint metadata naming an endpoint's <see cref="AccessClass"/>.</summary>
public sealed record EndpointAccessMetadata(AccessClass Class);

/// <summary>Marks endpoints with their access class; Read endpoints also get the gateway's read check.</summary>
public static class EndpointAccess
{
    /// <summary>Open to anyone.</summary>
    public static TBuilder AllowPublicAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccessMetadata(AccessClass.Public));

    /// <summary>Ingest: the endpoint checks its own keys.</summary>
    public static TBuilder AsIngestAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccessMetadata(AccessClass.Ingest));

    /// <summary>
    /// A read of sensor data, judged before the handler runs by the same authenticator and policy as GraphQL:
    /// wrong credentials are 401 always, none are 401 when Gateway:Auth:Reading is Authenticated.
    /// </summary>
    public static TBuilder RequireReadAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccessMetadata(AccessClass.Read)).AddEndpointFilter(CheckReadAsync);

    /// <summary>Read class for an endpoint that applies the policy itself (GraphQL: per operation, and in connection_init).</summary>
    internal static TBuilder ReadAccessCheckedByEndpoint<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointAccessMetadata(AccessClass.Read));

    private static async ValueTask<object?> CheckReadAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authenticator = http.RequestServices.GetRequiredService<GatewayAuthenticator>();
        var access = http.RequestServices.GetRequiredService<GatewayAccessPolicy>();
        var (caller, refused) = await authenticator.AuthenticateAsync(http.Request.Headers, http.RequestAborted);
        if ((refused ?? access.CheckRead(caller)) is not { } denial)
        {
            http.User = caller.Principal;
            return await next(context);
        }

        if (denial.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = access.Challenges(denial).ToArray();
        }

        // The REST shape ({"error"}), with the same code GraphQL puts in extensions.code.
        return Results.Json(new { error = denial.Error.Message, code = denial.Error.Code }, statusCode: denial.Status);
    }
}
