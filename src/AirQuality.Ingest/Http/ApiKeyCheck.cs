using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AirQuality.Ingest.Http;

/// <summary>Checks ingest API keys against their stored SHA-256 hashes, in constant time.</summary>
public sealed class ApiKeyCheck
{
    private readonly bool _required;
    private readonly byte[][] _hashes;

    public ApiKeyCheck(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _required = options.Value.RequireApiKey;
        _hashes = options.Value.ApiKeySha256.Select(Convert.FromHexString).ToArray();
    }

    public bool IsAllowed(string? presentedKey) => IsAllowed(presentedKey, out _);

    /// <summary>
    /// Whether the request may ingest; <paramref name="client"/> names the key it presented ("key:N", N its place in
    /// Ingest:ApiKeySha256, never the key itself) when keys are required, for the per-client rate limit.
    /// </summary>
    public bool IsAllowed(string? presentedKey, out string? client)
    {
        client = null;
        if (!_required)
        {
            return true;
        }

        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 512)
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        var matched = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            // Every hash is compared, so the time taken says nothing about which one matched.
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
            {
                matched = i;
            }
        }

        if (matched < 0)
        {
            return false;
        }

        client = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"key:{matched}");
        return true;
    }
}
