using System.Globalization;
using System.Threading.RateLimiting;
using AirQuality.Gateway.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Transport;

/// <summary>
/// Per-client rate limiting of the GraphQL endpoint (ASP.NET Core's rate limiter, a fixed window per
/// client): 429 with Retry-After and a GraphQL-shaped error body. A client is its API key when it sends
/// a configured one (by the key's name), else its IP address: a made-up key is no way around the limit.
/// Bearer-token clients count by IP, since checking a token's signature here, before the endpoint, would
/// cost every request (and an unchecked token would again be a way around).
/// </summary>
internal static class ClientRateLimit
{
    public const string Policy = "airquality-graphql";

    public static IServiceCollection AddClientRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
                return options.RateLimitPermits == 0
                    ? RateLimitPartition.GetNoLimiter("off")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientOf(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.RateLimitPermits,
                        Window = options.RateLimitWindow,
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                response.ContentType = "application/graphql-response+json";
                await response.WriteAsync("""{"errors":[{"message":"too many requests: wait as Retry-After says","extensions":{"code":"RATE_LIMITED"}}]}""", cancellationToken);
            };
        });

    private static string ClientOf(HttpContext http) =>
        http.Request.Headers[GatewayAuthenticator.ApiKeyHeader] is { Count: 1 } key
        && http.RequestServices.GetRequiredService<ApiKeyRing>().Find(key.ToString()) is { } known
            ? "key:" + known.Name
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
