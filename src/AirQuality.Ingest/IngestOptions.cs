namespace AirQuality.Ingest;

/// <summary>Settings of the HTTP ingest endpoints (configuration section "Ingest").</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest request body accepted; larger ones get 413. Default 16 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most rejections listed in a response (the counts are always complete). Default 100.</summary>
    public int MaxRejectionsReported { get; set; } = 100;

    /// <summary>Whether ingest needs an X-Api-Key. Off by default for local use.</summary>
    public bool RequireApiKey { get; set; }

    /// <summary>
    /// SHA-256 hashes (hex) of the accepted ingest keys; the keys themselves are never stored. Make one with
    /// <c>printf %s "$KEY" | sha256sum</c>.
    /// </summary>
    public List<string> ApiKeySha256 { get; set; } = [];

    /// <summary>Sensors called at once per request, so one huge batch cannot flood the silo.</summary>
    public int MaxConcurrentGrainCalls { get; set; } = 64;

    /// <summary>
    /// Bodies are decoded and ingested in pieces of at most this many bytes, so that a request's memory is bounded by
    /// the piece, not the body. A record (NDJSON line, array element) larger than a piece is rejected, and so is a
    /// Sensor.Community push body larger than it (413). Default 1 MiB.
    /// </summary>
    public int PieceBytes { get; set; } = 1024 * 1024;

    /// <summary>Ingest requests worked on at once on this host. Default 32.</summary>
    public int MaxConcurrentRequests { get; set; } = 32;

    /// <summary>Requests that wait for a place when MaxConcurrentRequests are in flight; past them, 503. Default 64.</summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>
    /// A compressed body may decompress to at most this many times its compressed size (checked once past the first
    /// MiB), and never to more than MaxBodyBytes: 413 beyond. Default 100 (JSON readings compress 10-30 times).
    /// </summary>
    public int MaxDecompressionRatio { get; set; } = 100;

    /// <summary>
    /// Readings (records) a client may send per second, on average; past its budget it gets 429 with Retry-After.
    /// A client is its ingest key when keys are required, else its IP address. 0 switches the limit off. Default
    /// 250,000: well above what one gateway or the load tool sends (about 95,000 a second on 2 cores).
    /// </summary>
    public int RateLimitReadingsPerSecond { get; set; } = 250_000;

    /// <summary>Readings a client may send at once before the per-second rate applies (the bucket's size). Default 500,000.</summary>
    public int RateLimitBurstReadings { get; set; } = 500_000;

    /// <summary>
    /// What happens to readings of a sensor nobody registered and that never reported: Accept (the default) makes
    /// it a new sensor; Reject refuses its readings with a reason, so only sensors an operator registered
    /// (registerSensor) or that reported before the switch take readings.
    /// </summary>
    public UnknownSensorPolicy UnknownSensors { get; set; } = UnknownSensorPolicy.Accept;

    public IEnumerable<string> Problems()
    {
        if (MaxBodyBytes is < 1024 or > 1L << 30)
        {
            yield return "Ingest:MaxBodyBytes must be 1 KiB-1 GiB";
        }

        if (MaxRejectionsReported is < 0 or > 10_000)
        {
            yield return "Ingest:MaxRejectionsReported must be 0-10000";
        }

        if (RequireApiKey && ApiKeySha256.Count == 0)
        {
            yield return "Ingest:RequireApiKey is on but Ingest:ApiKeySha256 lists no key hash";
        }

        foreach (var hash in ApiKeySha256)
        {
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                yield return "Ingest:ApiKeySha256 entries must be 64 hex digits (a SHA-256 hash)";
            }
        }

        if (MaxConcurrentGrainCalls is < 1 or > 4096)
        {
            yield return "Ingest:MaxConcurrentGrainCalls must be 1-4096";
        }

        if (PieceBytes is < 1024 or > 64 * 1024 * 1024)
        {
            yield return "Ingest:PieceBytes must be 1 KiB-64 MiB";
        }

        if (MaxConcurrentRequests is < 1 or > 10_000)
        {
            yield return "Ingest:MaxConcurrentRequests must be 1-10000";
        }

        if (MaxQueuedRequests is < 0 or > 100_000)
        {
            yield return "Ingest:MaxQueuedRequests must be 0-100000";
        }

        if (MaxDecompressionRatio is < 2 or > 100_000)
        {
            yield return "Ingest:MaxDecompressionRatio must be 2-100000";
        }

        if (RateLimitReadingsPerSecond < 0)
        {
            yield return "Ingest:RateLimitReadingsPerSecond must be 0 (off) or more";
        }

        if (RateLimitReadingsPerSecond > 0 && RateLimitBurstReadings < 1)
        {
            yield return "Ingest:RateLimitBurstReadings must be 1 or more when Ingest:RateLimitReadingsPerSecond is on";
        }
    }
}

/// <summary>See <see cref="IngestOptions.UnknownSensors"/>.</summary>
public enum UnknownSensorPolicy
{
    Accept,
    Reject,
}
