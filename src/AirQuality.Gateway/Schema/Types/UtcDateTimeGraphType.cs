using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;

namespace AirQuality.Gateway.Schema.Types;

/// <summary>The DateTime scalar: ISO-8601 in UTC ("2026-11-23T14:00:00Z"); inputs with an offset are converted to UTC.</summary>
public sealed class UtcDateTimeGraphType : ScalarGraphType
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public UtcDateTimeGraphType()
    {
        Name = "DateTime";
        Description = "An instant as an ISO-8601 string in UTC, e.g. 2026-11-23T14:00:00Z.";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset instant => instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture),
        DateTime instant => instant.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        DateTimeOffset instant => instant.ToUniversalTime(),
        DateTime instant => new DateTimeOffset(instant.ToUniversalTime(), TimeSpan.Zero),
        string text => Parse(text),
        _ => ThrowValueConversionError(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue text => Parse((string)text.Value),
        _ => ThrowLiteralConversionError(value),
    };

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new FormatException($"'{text}' is not an ISO-8601 date and time");
}
