namespace AirQuality.Host.Ingest;

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
    }
}
