using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Cluster;
using AirQuality.Gateway.Schema;
using AirQuality.Gateway.Schema.Types;
using AirQuality.Gateway.Transport;
using AirQuality.Gateway.Transport.WebSockets;
using AirQuality.Hosting;
using GraphQL;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace AirQuality.Gateway;

public static class GatewayExtensions
{
    /// <summary>
    /// Registers the schema, the transports and <see cref="GatewayOptions"/> (validated at start). Data comes from
    /// the Orleans cluster through the <see cref="IGrainFactory"/> in DI, a silo's or a client's (see
    /// <see cref="ClusterDataExtensions"/>); a Data interface registered before this call replaces its default.
    /// </summary>
    public static IServiceCollection AddAirQualityGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section)).Validate(o => o.Problems());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayContext>();
        services.AddSingleton<GraphQLRunner>();
        services.AddSingleton<GraphQLHttpEndpoint>();
        services.AddSingleton<GraphQLWebSocketEndpoint>();
        services.AddClientRateLimit();
        services.AddGatewayAuth();
        services.AddGatewayClusterData();
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(Transport.WebSockets.WebSocketMetrics.MeterName));

        services.AddGraphQL(graphql => graphql
            .AddSchema<AirQualitySchema>()
            .AddGraphTypes(typeof(AirQualitySchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = false)
            .AddComplexityAnalyzer((complexity, provider) =>
            {
                var limits = provider.GetRequiredService<IOptions<GatewayOptions>>().Value;
                complexity.MaxDepth = limits.MaxDepth;
                complexity.MaxComplexity = limits.MaxComplexity;
            }));
        return services;
    }

    /// <summary>Maps POST/GET and WebSocket on the GraphQL path (default /graphql) and the IDE page at {path}/ui.</summary>
    public static IEndpointConventionBuilder MapAirQualityGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var authority = options.Auth.Jwt.EffectiveAuthority ?? "(none: tokens refused)";
        var logger = endpoints.ServiceProvider.GetRequiredService<ILogger<GatewayAuthenticator>>();
        AuthLog.Configured(logger, options.Auth.Reading, options.Auth.ApiKeys.Count, authority, options.Auth.MutationRole);
        var group = endpoints.MapGroup(options.Path);

        group.MapMethods("", [HttpMethods.Get, HttpMethods.Post], (HttpContext http) =>
            http.WebSockets.IsWebSocketRequest
                ? http.RequestServices.GetRequiredService<GraphQLWebSocketEndpoint>().HandleAsync(http)
                : http.RequestServices.GetRequiredService<GraphQLHttpEndpoint>().HandleAsync(http))
            .RequireRateLimiting(ClientRateLimit.Policy)
            .ReadAccessCheckedByEndpoint();

        if (options.EnableUi)
        {
            // The page and its script hold no data: it asks /graphql, which judges the key typed into it.
            group.MapGet("/ui", (HttpContext http) => IdePage.ServeAsync(http, "")).AllowPublicAccess();
            group.MapGet("/ui/{file}", (HttpContext http, string file) => IdePage.ServeAsync(http, file)).AllowPublicAccess();
        }

        return group;
    }

    /// <summary>
    /// The gateway's own authentication: API keys and JwtBearer's options for tokens, without the authentication
    /// middleware (see <see cref="GatewayAuthenticator"/>). JwtBearer's post-configuration turns the authority into
    /// a metadata manager; it is added once, whoever else uses JwtBearer.
    /// </summary>
    private static void AddGatewayAuth(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<GatewayAuthenticator>();
        services.AddSingleton<GatewayAccessPolicy>();
        services.AddOptions<JwtBearerOptions>(GatewayAuthenticator.JwtScheme)
            .Configure<IOptions<GatewayOptions>>((jwt, gateway) => JwtSetup.Apply(jwt, gateway.Value.Auth.Jwt));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<JwtBearerOptions>, JwtBearerPostConfigureOptions>());
    }
}
