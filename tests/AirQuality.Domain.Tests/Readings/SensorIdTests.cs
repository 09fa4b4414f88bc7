using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;

namespace AirQuality.Domain.Tests.Readings;

/// <summary>
/// "." and ".." are path segments that URLs resolve away (GET /api/v1/sensors/.. is /api/v1/), so a sensor with
/// such an id could be written but never read back: the id rule refuses them, for every path that uses it.
/// </summary>
public sealed class SensorIdTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void Dot_segments_are_refused_with_the_reason(string id)
    {
        var problem = SensorId.Problem(id);
        Assert.NotNull(problem);
        Assert.Contains("path segment", problem, StringComparison.Ordinal);
        Assert.False(SensorId.IsValid(id));
    }

    [Theory]
    [InlineData("...")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData("esp8266-1.2")]
    public void Ids_with_dots_that_are_not_a_whole_dot_segment_stay_valid(string id) =>
        Assert.Null(SensorId.Problem(id));

    [Fact]
    public void A_reading_for_a_dot_segment_id_is_rejected_by_the_decoder()
    {
        var decoder = new CanonicalJsonDecoder(Decoding.DecodingAssert.Validator);
        var result = decoder.Decode("""{"sensorId":"..","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":5}}"""u8);
        Assert.Empty(result.Readings);
        Assert.Contains(result.Rejections, r => r.Reason.Contains("path segment", StringComparison.Ordinal));
    }
}
