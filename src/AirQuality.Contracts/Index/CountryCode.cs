namespace AirQuality.Contracts.Index;

/// <summary>The country codes the index accepts: ISO 3166-1 alpha-2, upper case.</summary>
public static class CountryCode
{
    /// <summary>The code in upper case, or null when it is not two ASCII letters.</summary>
    public static string? Normalize(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) ? code.ToUpperInvariant() : null;

    public static string? Problem(string? code) =>
        code is { Length: 2 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1])
            ? null
            : $"country '{code}' is not an ISO 3166-1 alpha-2 code such as DE";
}
