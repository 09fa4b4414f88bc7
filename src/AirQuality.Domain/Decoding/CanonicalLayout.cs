namespace AirQuality.Domain.Decoding;

/// <summary>How a canonical JSON body is laid out.</summary>
public enum CanonicalLayout
{
    /// <summary>Decide from the body: '[' is an array; '{' is one object if the body is exactly one JSON value, else NDJSON.</summary>
    Auto,

    /// <summary>One JSON value: a reading object or an array of them.</summary>
    Json,

    /// <summary>Newline-delimited JSON: one reading object per line, blank lines ignored.</summary>
    Ndjson,
}
