using AirQuality.Domain.Quantities;
using AirQuality.Domain.Validation;
using Microsoft.Extensions.Time.Testing;

namespace AirQuality.Domain.Tests.Validation;

public class ReadingValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    [Theory]
    [InlineData(QuantityKind.Pm25, 899.9)]
    [InlineData(QuantityKind.Pm25, 0)]
    [InlineData(QuantityKind.Pm10, 1899.9)]
    [InlineData(QuantityKind.Humidity, 100)]
    [InlineData(QuantityKind.Humidity, 0)]
    [InlineData(QuantityKind.Temperature, -50)]
    [InlineData(QuantityKind.Temperature, 70)]
    [InlineData(QuantityKind.Pressure, 850)]
    [InlineData(QuantityKind.Pressure, 1200)]
    public void Values_inside_the_gates_pass(QuantityKind kind, double value) =>
        Assert.Null(new ReadingValidator(null, _time).CheckValue(Quantity.Of(kind), value));

    [Theory]
    [InlineData(QuantityKind.Pm25, 900, "plausible")]
    [InlineData(QuantityKind.Pm10, 1900, "plausible")]
    [InlineData(QuantityKind.Humidity, 100.1, "plausible")]
    [InlineData(QuantityKind.Temperature, -50.1, "plausible")]
    [InlineData(QuantityKind.Temperature, 70.1, "plausible")]
    [InlineData(QuantityKind.Pressure, 849.9, "plausible")]
    [InlineData(QuantityKind.Pm25, -0.1, "negative")]
    [InlineData(QuantityKind.No2, -1, "negative")]
    [InlineData(QuantityKind.Pm25, double.NaN, "NaN")]
    [InlineData(QuantityKind.Pm25, double.PositiveInfinity, "finite")]
    [InlineData(QuantityKind.Temperature, double.NegativeInfinity, "finite")]
    [InlineData(QuantityKind.Pm25, 1e308, "plausible")]
    public void Values_outside_the_gates_are_rejected_with_a_reason(QuantityKind kind, double value, string reason)
    {
        var problem = new ReadingValidator(null, _time).CheckValue(Quantity.Of(kind), value);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_quantities_are_only_checked_for_finiteness()
    {
        var validator = new ReadingValidator(null, _time);
        var noise = Quantity.Parse("noise_LAeq");
        Assert.Null(validator.CheckValue(noise, -5));
        Assert.Null(validator.CheckValue(noise, 1e300));
        Assert.NotNull(validator.CheckValue(noise, double.NaN));
    }

    [Fact]
    public void Timestamps_in_the_far_future_or_before_2000_are_rejected()
    {
        var validator = new ReadingValidator(null, _time);
        Assert.Null(validator.CheckTimestamp(Now));
        Assert.Null(validator.CheckTimestamp(Now.AddMinutes(10)));
        Assert.Contains("future", validator.CheckTimestamp(Now.AddMinutes(11)), StringComparison.Ordinal);
        Assert.Contains("clock", validator.CheckTimestamp(DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
        Assert.Null(validator.CheckTimestamp(new DateTimeOffset(2019, 9, 3, 20, 13, 54, TimeSpan.Zero)));
    }

    [Fact]
    public void The_maximum_age_is_configurable_and_follows_the_clock()
    {
        var validator = new ReadingValidator(new ValidationOptions { MaxAge = TimeSpan.FromDays(7) }, _time);
        Assert.Null(validator.CheckTimestamp(Now.AddDays(-6)));
        Assert.Contains("maximum age", validator.CheckTimestamp(Now.AddDays(-8)), StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromDays(2));
        Assert.NotNull(validator.CheckTimestamp(Now.AddDays(-6)));
    }

    [Fact]
    public void Gates_can_be_overridden()
    {
        var options = new ValidationOptions();
        options.Gates[QuantityKind.Pm25] = new PlausibilityRange(0, 2000);
        Assert.Null(new ReadingValidator(options, _time).CheckValue(Quantity.Pm25, 1500));
    }

    [Fact]
    public void Bad_options_fail_at_construction_with_every_problem_named()
    {
        var options = new ValidationOptions { MaxFutureSkew = TimeSpan.FromMinutes(-1), MaxAge = TimeSpan.Zero };
        options.Gates[QuantityKind.Humidity] = new PlausibilityRange(100, 0);
        var error = Assert.Throws<ArgumentException>(() => new ReadingValidator(options, _time));
        Assert.Contains("MaxFutureSkew", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAge", error.Message, StringComparison.Ordinal);
        Assert.Contains("Humidity", error.Message, StringComparison.Ordinal);
    }
}
