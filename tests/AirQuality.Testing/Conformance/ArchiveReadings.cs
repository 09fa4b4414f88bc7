using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;

namespace AirQuality.Testing.Conformance;

/// <summary>Reads what an archive stored: canonical NDJSON, one reading a line.</summary>
public static class ArchiveReadings
{
    /// <summary>Every reading in <paramref name="contents"/> (the archive's partitions); none of their lines may fail to decode.</summary>
    public static List<Reading> DecodeAll(CanonicalJsonDecoder decoder, IEnumerable<byte[]> contents)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(contents);
        var readings = new List<Reading>();
        foreach (var content in contents)
        {
            var result = decoder.Decode(content, CanonicalLayout.Ndjson);
            Assert.Empty(result.Rejections);
            readings.AddRange(result.Readings);
        }

        return readings;
    }
}
