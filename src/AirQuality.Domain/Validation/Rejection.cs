namespace AirQuality.Domain.Validation;

/// <summary>
/// A record, or one value of a record, that was not accepted, with the reason in words a sender can act on.
/// </summary>
/// <param name="Record">1-based position of the record in its batch (array element, line, CSV row).</param>
/// <param name="Line">1-based line number of the record in the input, when the format has lines.</param>
/// <param name="SensorId">The sensor the record claimed to come from, when it could be read.</param>
/// <param name="Quantity">The value's quantity when only one value was rejected; null when the whole record was.</param>
/// <param name="Reason">Why it was rejected.</param>
public sealed record Rejection(int Record, long? Line, string? SensorId, string? Quantity, string Reason)
{
    public override string ToString()
    {
        var where = Line is { } line && line != Record ? $"record {Record} (line {line})" : $"record {Record}";
        var what = Quantity is null ? "" : $" value '{Quantity}'";
        var who = SensorId is null ? "" : $" sensor '{SensorId}'";
        return $"{where}{who}{what}: {Reason}";
    }
}
