using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AirQuality.Contracts.Index;

/// <summary>
/// Opaque page cursors: base64url of "fingerprint:lastId", where the fingerprint is a hash of the query's
/// filters (not of first/after). A cursor only continues the query it came from.
/// </summary>
public static class SensorCursor
{
    /// <summary>The cursor of the item with id <paramref name="sensorId"/> in the results of <paramref name="query"/>.</summary>
    public static string Encode(SensorQuery query, string sensorId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Fingerprint(query)}:{sensorId}"));

    /// <summary>The last id a cursor of <paramref name="query"/> stands for, or a <see cref="SensorQueryException"/>.</summary>
    public static string Decode(SensorQuery query, string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new SensorQueryException("The 'after' cursor is not a cursor this service issued.");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new SensorQueryException("The 'after' cursor is not a cursor this service issued.");
        }

        if (!string.Equals(text[..colon], Fingerprint(query), StringComparison.Ordinal))
        {
            throw new SensorQueryException("The 'after' cursor belongs to a different query: repeat the query it came from, or start again without 'after'.");
        }

        return text[(colon + 1)..];
    }

    /// <summary>16 hex digits of SHA-256 over the query's filters in a canonical text form.</summary>
    public static string Fingerprint(SensorQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var c = CultureInfo.InvariantCulture;
        var canonical = string.Join(
            '|',
            query.Bbox is { } b ? string.Create(c, $"bbox:{b.MinLon:R},{b.MinLat:R},{b.MaxLon:R},{b.MaxLat:R}") : "-",
            query.Near is { } n ? string.Create(c, $"near:{n.Latitude:R},{n.Longitude:R},{n.RadiusKm:R}") : "-",
            CountryCode.Normalize(query.Country) ?? query.Country ?? "-",
            query.Standard?.ToString() ?? "-",
            query.MinIndex?.ToString(c) ?? "-",
            query.MaxIndex?.ToString(c) ?? "-",
            query.Status?.ToString() ?? "-");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)).AsSpan(0, 8));
    }
}
