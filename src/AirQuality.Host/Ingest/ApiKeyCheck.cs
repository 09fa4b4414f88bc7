using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Ingest;

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

    public bool IsAllowed(string? presentedKey)
    {
        if (!_required)
        {
            return true;
        }

        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > 512)
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        var match = false;
        foreach (var known in _hashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, known);
        }

        return match;
    }
}
