using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using AirQuality.Gateway.Auth;
using GraphQL;
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
/// <remarks>
/// The permits live in one <see cref="ClientBudget"/>, which WebSocket operations draw on too (a socket is one
/// request to the middleware, however many operations it then runs), so a client cannot go around its HTTP
/// limit by sending the same queries over a socket.
/// </remarks>
internal static class ClientRateLimit
{
    public const string Policy = "airquality-graphql";

    public const string Code = "RATE_LIMITED";

    public static IServiceCollection AddClientRateLimit(this IServiceCollection services) =>
        services.AddSingleton<ClientBudget>().AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, http =>
            {
                var budget = http.RequestServices.GetRequiredService<ClientBudget>();
                return budget.IsOff
                    ? RateLimitPartition.GetNoLimiter("off")
                    : RateLimitPartition.Get(ClientOf(http), client => new ClientBudget.View(budget, client));
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = RetryAfterSeconds(context.Lease).ToString(CultureInfo.InvariantCulture);
                response.ContentType = "application/graphql-response+json";
                await response.WriteAsync("""{"errors":[{"message":"too many requests: wait as Retry-After says","extensions":{"code":"RATE_LIMITED"}}]}""", cancellationToken);
            };
        });

    /// <summary>The partition of an HTTP request: a configured key in its X-Api-Key header, else its address.</summary>
    public static string ClientOf(HttpContext http) =>
        http.Request.Headers[GatewayAuthenticator.ApiKeyHeader] is { Count: 1 } key
        && http.RequestServices.GetRequiredService<ApiKeyRing>().Find(key.ToString()) is { } known
            ? ForKey(known.Name)
            : ForAddress(http.Connection.RemoteIpAddress);

    /// <summary>
    /// The partition of a WebSocket's operations, the same as its requests would have: the configured key it
    /// authenticated with (in the upgrade's headers or in connection_init), else its address.
    /// </summary>
    public static string ClientOf(GatewayCaller caller, IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Principal.Identity?.AuthenticationType == GatewayCaller.ApiKeyAuthentication && caller.Client is { } name
            ? ForKey(name)
            : ForAddress(address);
    }

    /// <summary>What a WebSocket operation over the limit gets in its error message.</summary>
    public static ExecutionError Refused(RateLimitLease lease) =>
        new($"too many requests: wait {RetryAfterSeconds(lease)} s") { Code = Code };

    private static int RetryAfterSeconds(RateLimitLease lease) =>
        Math.Max(1, (int)Math.Ceiling((lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1)).TotalSeconds));

    private static string ForKey(string name) => "key:" + name;

    private static string ForAddress(IPAddress? address) => "ip:" + (address?.ToString() ?? "unknown");
}

/// <summary>
/// The per-client permits (<see cref="GatewayOptions.RateLimitPermits"/> per <see cref="GatewayOptions.RateLimitWindow"/>,
/// a fixed window per client, no queueing) that HTTP requests and WebSocket operations share. The windows run
/// on System.Threading.RateLimiting's own clock, as the middleware's did.
/// </summary>
internal sealed class ClientBudget : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    private readonly TimeProvider _time;

    public ClientBudget(IOptions<GatewayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var limits = options.Value;
        _limiter = limits.RateLimitPermits == 0
            ? null
            : PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.RateLimitPermits,
                Window = limits.RateLimitWindow,
                QueueLimit = 0,
            }));
    }

    public bool IsOff => _limiter is null;

    /// <summary>One permit of the client's, if it has one left; a refused lease says when to retry.</summary>
    public RateLimitLease Take(string client) => _limiter?.AttemptAcquire(client) ?? Unlimited.Instance;

    public void Dispose() => _limiter?.Dispose();

    /// <summary>
    /// One client's share of the budget, as the rate-limiting middleware's limiter of that client's partition.
    /// The permits stay in the budget: the middleware may drop and dispose a view it has not used for a while.
    /// </summary>
    public sealed class View(ClientBudget budget, string client) : RateLimiter
    {
        private long _lastUsed = budget._time.GetTimestamp();

        public override TimeSpan? IdleDuration => budget._time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => budget._limiter?.GetStatistics(client);

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Interlocked.Exchange(ref _lastUsed, budget._time.GetTimestamp());
            return budget._limiter?.AttemptAcquire(client, permitCount) ?? Unlimited.Instance;
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    private sealed class Unlimited : RateLimitLease
    {
        public static Unlimited Instance { get; } = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
