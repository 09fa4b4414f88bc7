using System.Security.Cryptography;
using System.Text;

namespace AirQuality.Testing;

/// <summary>API keys as a client is given them and as the host is configured with them (by hash only).</summary>
public static class ApiKeys
{
    /// <summary>A fresh random key, made up at run time.</summary>
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The SHA-256 of a key as configured (the hex digits of <c>printf %s "$KEY" | sha256sum</c>).</summary>
    public static string Sha256Of(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
