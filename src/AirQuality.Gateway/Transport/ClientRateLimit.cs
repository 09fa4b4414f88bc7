using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Transport;

/// <summary>
/// Per-client rate limiting of the GraphQL endpoint (ASP.NET Core's rate limiter, a fixed window per
/// client): 429 with Retry-After and a GraphQL-shaped error body. A client is its API key when it sends
/// one (hashed: keys are not kept), else its IP address.
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
        http.Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } key
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
