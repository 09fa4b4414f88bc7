using System.Text;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Domain.Tests.Decoding;

/// <summary>Shared set-up and checks for the decoder tests.</summary>
internal static class DecodingAssert
{
    /// <summary>The receiver's clock in every decoder test.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 5, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock { get; } = new(Now);

    public static ReadingValidator Validator { get; } = new(time: Clock);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The value of <paramref name="quantity"/> in <paramref name="reading"/>; fails when absent.</summary>
    public static double Value(Reading reading, Quantity quantity)
    {
        foreach (var measurement in reading.Values)
        {
            if (measurement.Quantity == quantity)
            {
                return measurement.Value;
            }
        }

        Assert.Fail($"reading has no {quantity}: {string.Join(", ", reading.Values)}");
        return double.NaN;
    }

    public static double Value(Reading reading, string unknownQuantity) => Value(reading, Quantity.Parse(unknownQuantity));

    /// <summary>
    /// Checks what holds for every result: reasons are non-empty, record numbers are sane, counts add up.
    /// Returns the result for chaining.
    /// </summary>
    public static DecodeResult WellFormed(this DecodeResult result)
    {
        foreach (var rejection in result.Rejections)
        {
            Assert.False(string.IsNullOrWhiteSpace(rejection.Reason), $"empty reason in {rejection}");
            Assert.True(rejection.Record >= 0, $"negative record number in {rejection}");
            Assert.True(rejection.Line is null or > 0, $"bad line number in {rejection}");
        }

        foreach (var reading in result.Readings)
        {
            Assert.NotEmpty(reading.Values);
            Assert.Equal(TimeSpan.Zero, reading.Timestamp.Offset);
            Assert.True(SensorId.IsValid(reading.SensorId), reading.SensorId);
            Assert.All(reading.Values, v => Assert.True(double.IsFinite(v.Value)));
        }

        // Record 0 is the input as a whole (empty body, no CSV header), not a record.
        var rejectedRecords = result.Rejections.Count(r => r.Quantity is null && r.Record > 0);
        Assert.Equal(result.RecordCount, result.Readings.Count + rejectedRecords);
        return result;
    }

    /// <summary>The single rejection of the whole record; asserts there is exactly one and its reason mentions <paramref name="mentions"/>.</summary>
    public static Rejection SingleRecordRejection(this DecodeResult result, string mentions)
    {
        var rejection = Assert.Single(result.Rejections);
        Assert.Null(rejection.Quantity);
        Assert.Contains(mentions, rejection.Reason, StringComparison.OrdinalIgnoreCase);
        return rejection;
    }

    /// <summary>The single value rejection; asserts its quantity and that its reason mentions <paramref name="mentions"/>.</summary>
    public static Rejection SingleValueRejection(this DecodeResult result, string quantity, string mentions)
    {
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal(quantity, rejection.Quantity);
        Assert.Contains(mentions, rejection.Reason, StringComparison.OrdinalIgnoreCase);
        return rejection;
    }

    /// <summary>Readings are records holding a list, so == compares the list by reference; this compares contents.</summary>
    public static void SameReading(Reading expected, Reading actual)
    {
        Assert.Equal(expected.SensorId, actual.SensorId);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Location, actual.Location);
        Assert.Equal(expected.SensorType, actual.SensorType);
    }
}
