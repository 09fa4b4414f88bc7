using AirQuality.Domain.Decoding.Internal;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

public sealed class Utf8TimestampTests
{
    [Theory]
    [InlineData("2019-09-03 20:13:54", false, "2019-09-03T20:13:54.0000000+00:00")]
    [InlineData("2019-09-03T20:13:54", false, "2019-09-03T20:13:54.0000000+00:00")]
    [InlineData("2019-09-03T20:13", false, "2019-09-03T20:13:00.0000000+00:00")]
    [InlineData("2019-09-03T20:13:54Z", true, "2019-09-03T20:13:54.0000000+00:00")]
    [InlineData("2019-09-03T22:13:54+02:00", true, "2019-09-03T20:13:54.0000000+00:00")]
    [InlineData("2019-09-03T22:13:54+02", true, "2019-09-03T20:13:54.0000000+00:00")]
    [InlineData("2019-09-03T15:43:54-0430", true, "2019-09-03T20:13:54.0000000+00:00")]
    [InlineData("2019-09-03T20:13:54.5Z", true, "2019-09-03T20:13:54.5000000+00:00")]
    [InlineData("2019-09-04T00:30:00+05:00", true, "2019-09-03T19:30:00.0000000+00:00")]
    [InlineData("2020-02-29T00:00:00Z", true, "2020-02-29T00:00:00.0000000+00:00")]
    public void Accepted(string text, bool requireZone, string expected)
    {
        Assert.True(Utf8Timestamp.TryParse(Utf8(text), requireZone, out var utc, out var problem), problem);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), utc);
        Assert.Equal(TimeSpan.Zero, utc.Offset);
    }

    [Theory]
    [InlineData("2019-09-03 20:13:54", true, "no UTC offset")]
    [InlineData("", false, "not an ISO 8601")]
    [InlineData("2019-09-03", false, "not an ISO 8601")]
    [InlineData("03.09.2019 20:13:54", false, "not an ISO 8601")]
    [InlineData("2019-09-03T20:13:54 ", false, "not an ISO 8601")]
    [InlineData("2019-09-03T20:13:54.Z", false, "not an ISO 8601")]
    [InlineData("2019-09-03T20:13:54+2", false, "not an ISO 8601")]
    [InlineData("2019-09-03T20:13:54+24:00", false, "not an ISO 8601")]
    [InlineData("2019-09-03T20:13:54ZZ", false, "not an ISO 8601")]
    [InlineData("2019-13-03T20:13:54Z", false, "not a valid date")]
    [InlineData("2019-02-29T20:13:54Z", false, "not a valid date")]
    [InlineData("2019-09-03T24:00:00Z", false, "not a valid date")]
    [InlineData("2019-09-03T20:60:00Z", false, "not a valid date")]
    [InlineData("2019-09-03T20:13:60Z", false, "not a valid date")]
    [InlineData("0000-01-01T00:00:00Z", false, "not a valid date")]
    [InlineData("0001-01-01T00:00:00+01:00", false, "out of range")]
    public void Rejected_with_a_reason(string text, bool requireZone, string mentions)
    {
        Assert.False(Utf8Timestamp.TryParse(Utf8(text), requireZone, out _, out var problem));

        Assert.Contains(mentions, problem, StringComparison.Ordinal);
    }
}
