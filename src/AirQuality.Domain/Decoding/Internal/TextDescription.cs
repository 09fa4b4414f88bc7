using System.Text;

namespace AirQuality.Domain.Decoding.Internal;

/// <summary>
/// Renders bytes a sender gave us for use inside a rejection reason: decoded leniently, control
/// characters replaced and long text cut short, so a reason never carries garbage or megabytes.
/// </summary>
internal static class TextDescription
{
    private const int MaxChars = 40;

    public static string Of(ReadOnlySpan<byte> utf8)
    {
        var slice = utf8.Length > MaxChars * 4 ? utf8[..(MaxChars * 4)] : utf8;
        // Encoding.UTF8 replaces invalid bytes with U+FFFD instead of throwing, which is what a message wants.
        var text = Encoding.UTF8.GetString(slice);
        return Of(text.AsSpan(), truncated: slice.Length < utf8.Length);
    }

    public static string Of(ReadOnlySpan<char> text, bool truncated = false)
    {
        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
            truncated = true;
        }

        var builder = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (truncated)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
