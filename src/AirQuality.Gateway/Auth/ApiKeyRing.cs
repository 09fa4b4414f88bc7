using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Auth;

/// <summary>
/// The configured API keys, kept as SHA-256 hashes and compared in constant time (the same scheme as the
/// ingest API's keys), so neither the configuration nor a timing difference gives a key away.
/// </summary>
public sealed class ApiKeyRing
{
    /// <summary>Longer values are refused without hashing: no real key is that long.</summary>
    public const int MaxKeyLength = 512;

    private readonly (byte[] Hash, ApiKeyOptions Key)[] _keys;

    public ApiKeyRing(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = [.. options.Value.Auth.ApiKeys.Select(k => (Convert.FromHexString(k.Sha256!), k))];
    }

    public bool IsEmpty => _keys.Length == 0;

    /// <summary>The key's configuration, or null when it matches none. Every configured hash is compared, match or not.</summary>
    public ApiKeyOptions? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > MaxKeyLength || _keys.Length == 0)
        {
            return null;
        }

        var hash = Hash(presented);
        ApiKeyOptions? found = null;
        foreach (var (known, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, known))
            {
                found = key;
            }
        }

        return found;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
