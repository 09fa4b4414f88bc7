using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;

namespace AirQuality.Domain.Decoding;

/// <summary>
/// What a decoder made of one input: the good readings, and every record or value it rejected with
/// the reason. A bad record never spoils the good ones beside it.
/// </summary>
public sealed class DecodeResult
{
    public List<Reading> Readings { get; } = [];

    public List<Rejection> Rejections { get; } = [];

    /// <summary>Records seen in the input (array elements, lines, CSV rows), good or bad.</summary>
    public int RecordCount { get; internal set; }

    /// <summary>Records rejected whole (a rejection with no quantity).</summary>
    public int RejectedRecordCount => Rejections.Count(r => r.Quantity is null);

    /// <summary>Single values rejected while the rest of their record was kept.</summary>
    public int RejectedValueCount => Rejections.Count(r => r.Quantity is not null);
}
