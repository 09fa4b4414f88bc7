using AirQuality.Cli.Ingest;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Tests.Ingest;

public class IngestPartsTests
{
    [Theory]
    [InlineData("145s", 145)]
    [InlineData("5m", 300)]
    [InlineData("5min", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("2d", 172800)]
    public void Durations_read_as_people_write_them(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5 minutes")]
    [InlineData("5y")]
    [InlineData("-5s")]
    [InlineData("99999d")]
    public void Durations_refuse_what_they_cannot_read(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Watermarks_pass_only_readings_newer_than_the_latest_sent_per_sensor()
    {
        var sent = new SentWatermarks();
        var t = new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);
        sent.MarkSent([Reading("a", t), Reading("a", t.AddMinutes(-5)), Reading("b", t.AddMinutes(-1))]);

        Assert.False(sent.IsNew(Reading("a", t)));
        Assert.False(sent.IsNew(Reading("a", t.AddMinutes(-3))));
        Assert.True(sent.IsNew(Reading("a", t.AddSeconds(1))));
        Assert.True(sent.IsNew(Reading("b", t)));
        Assert.True(sent.IsNew(Reading("c", t.AddYears(-10))));
    }

    [Fact]
    public void Watermarks_stay_bounded_and_forget_the_sensors_silent_longest()
    {
        var sent = new SentWatermarks(capacity: 100);
        var t = new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 1000; i++)
        {
            sent.MarkSent([Reading($"s{i}", t.AddSeconds(i))]);
            Assert.True(sent.Count <= 100);
        }

        Assert.False(sent.IsNew(Reading("s999", t.AddSeconds(999))));
        Assert.True(sent.IsNew(Reading("s0", t)));
    }

    private static Reading Reading(string sensor, DateTimeOffset at) => new(sensor, at, [new Measurement(Quantity.Pm25, 1)]);
}
