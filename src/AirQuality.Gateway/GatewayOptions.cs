using AirQuality.Gateway.Auth;

namespace AirQuality.Gateway;

/// <summary>The gateway's limits and timings (configuration section "Gateway"), checked at start-up.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The route of the HTTP and WebSocket endpoint; the IDE page is served at "{Path}/ui".</summary>
    public string Path { get; set; } = "/graphql";

    /// <summary>How deeply fields may nest in one document (15 lets IDEs run the standard introspection query).</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>The largest complexity a document may have (list fields multiply their children by "first").</summary>
    public int MaxComplexity { get; set; } = 50_000;

    /// <summary>
    /// What a field that calls a sensor grain for each item costs in <see cref="MaxComplexity"/> (sensor(id),
    /// alerts(sensorId), a Sensor's history and alerts), so aliases cannot fan one document out to thousands of
    /// grains: at the defaults a document looks up at most 500 sensors by id.
    /// </summary>
    public int GrainCallComplexity { get; set; } = 100;

    /// <summary>The most items one connection page may ask for.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>The page size when a query gives no "first".</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>How long one query or mutation may run.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest request body (and WebSocket message) accepted.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    public int MaxSubscriptionsPerConnection { get; set; } = 20;

    /// <summary>How long a WebSocket client has to send connection_init before the socket is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the server pings an idle WebSocket (zero: never), so proxies keep it open.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether GET /graphql/ui serves the IDE page.</summary>
    public bool EnableUi { get; set; } = true;

    /// <summary>
    /// Requests one client may make per <see cref="RateLimitWindow"/>, a client being its API key if it sends a
    /// configured one, else its IP address. Beyond it: 429 with Retry-After. A WebSocket upgrade is a request, and
    /// so is each operation (subscribe message) over the socket, from the same budget (the key being the one the
    /// socket authenticated with); one beyond it gets an error message with code RATE_LIMITED. 0 turns the limit
    /// off. Default 1,000 per second.
    /// </summary>
    public int RateLimitPermits { get; set; } = 1_000;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>API keys, bearer tokens, and who may read and mutate ("Gateway:Auth").</summary>
    public GatewayAuthOptions Auth { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Path) || !Path.StartsWith('/'))
        {
            yield return "Gateway:Path must start with '/'";
        }

        if (MaxDepth < 2)
        {
            yield return "Gateway:MaxDepth must be at least 2";
        }

        if (MaxComplexity < 1)
        {
            yield return "Gateway:MaxComplexity must be positive";
        }

        if (GrainCallComplexity < 1 || GrainCallComplexity > MaxComplexity)
        {
            yield return "Gateway:GrainCallComplexity must be between 1 and Gateway:MaxComplexity";
        }

        if (MaxPageSize is < 1 or > 500)
        {
            yield return "Gateway:MaxPageSize must be between 1 and 500 (the sensor index's largest page)";
        }

        if (DefaultPageSize < 1 || DefaultPageSize > MaxPageSize)
        {
            yield return "Gateway:DefaultPageSize must be between 1 and Gateway:MaxPageSize";
        }

        if (ExecutionTimeout <= TimeSpan.Zero)
        {
            yield return "Gateway:ExecutionTimeout must be positive";
        }

        if (RateLimitPermits < 0 || RateLimitWindow <= TimeSpan.Zero || RateLimitWindow > TimeSpan.FromDays(1))
        {
            yield return "Gateway:RateLimitPermits must be 0 (off) or more, and Gateway:RateLimitWindow between 0 and 1 day";
        }

        if (MaxRequestBytes < 256)
        {
            yield return "Gateway:MaxRequestBytes must be at least 256";
        }

        if (MaxSubscriptionsPerConnection < 1)
        {
            yield return "Gateway:MaxSubscriptionsPerConnection must be positive";
        }

        if (ConnectionInitTimeout <= TimeSpan.Zero)
        {
            yield return "Gateway:ConnectionInitTimeout must be positive";
        }

        if (KeepAlive < TimeSpan.Zero)
        {
            yield return "Gateway:KeepAlive must not be negative";
        }

        if (MaxQueuedBytesPerConnection < 1024)
        {
            yield return "Gateway:MaxQueuedBytesPerConnection must be at least 1024";
        }

        if (MaxQueuedMessagesPerConnection < 2)
        {
            yield return "Gateway:MaxQueuedMessagesPerConnection must be at least 2 (an answer is a next and a complete message)";
        }

        if (CloseHandshakeTimeout <= TimeSpan.Zero || CloseHandshakeTimeout > TimeSpan.FromMinutes(1))
        {
            yield return "Gateway:CloseHandshakeTimeout must be more than 0 and at most 1 minute";
        }

        foreach (var problem in Auth.Problems())
        {
            yield return problem;
        }
    }

    /// <summary>
    /// The most bytes one WebSocket may have waiting to be sent (the message being sent included). A client that
    /// reads slower than it asks is closed with 1013 past it, and what it had queued is let go. A message into an
    /// empty queue is always taken, so one answer above the bound still reaches a client that reads.
    /// </summary>
    public int MaxQueuedBytesPerConnection { get; set; } = 4 * 1024 * 1024;

    /// <summary>The most messages one WebSocket may have waiting to be sent; past it, as past the bytes: close with 1013.</summary>
    public int MaxQueuedMessagesPerConnection { get; set; } = 500;

    /// <summary>
    /// How long, after the server asks to close a WebSocket, the client has to read what comes before the close
    /// frame and answer it; then the connection is dropped.
    /// </summary>
    public TimeSpan CloseHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
