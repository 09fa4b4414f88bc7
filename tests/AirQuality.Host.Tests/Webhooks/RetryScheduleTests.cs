using System.Net;
using System.Net.Http.Headers;
using AirQuality.Alerts;
using AirQuality.Alerts.Delivery;
using AirQuality.Alerts.Outbox;
using AirQuality.Alerts.Webhooks;

namespace AirQuality.Host.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly WebhookOptions Options = new()
    {
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(60),
        MaxAttempts = 10,
        MaxAge = TimeSpan.FromHours(1),
    };

    private static OutboxDelivery Delivery(int attempts, DateTimeOffset? enqueuedAt = null) =>
        new(1, "e", "s", "http://127.0.0.1:9/", "{}", attempts, enqueuedAt ?? Now, null);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(7, 60)]
    [InlineData(5000, 60)]
    public void The_backoff_doubles_per_failure_up_to_the_maximum_and_jitters_down_to_half(int attempts, double fullSeconds)
    {
        Assert.InRange(new RetrySchedule(Options, () => 0.999999).Backoff(attempts).TotalSeconds, fullSeconds * 0.9999, fullSeconds);
        Assert.Equal(TimeSpan.FromSeconds(fullSeconds / 2), new RetrySchedule(Options, () => 0).Backoff(attempts));
    }

    [Fact]
    public void Retry_After_replaces_the_backoff()
    {
        var decision = new RetrySchedule(Options, () => 0).After(Delivery(1), Now, TimeSpan.FromMinutes(5));
        Assert.Equal(new RetryDecision(Now + TimeSpan.FromMinutes(5), null), decision);
    }

    [Fact]
    public void The_last_attempt_gives_up()
    {
        var decision = new RetrySchedule(Options, () => 0).After(Delivery(10), Now, null);
        Assert.Null(decision.RetryAt);
        Assert.Contains("10 attempts", decision.GiveUpReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_next_attempt_beyond_MaxAge_gives_up_and_an_old_delivery_has_expired()
    {
        var schedule = new RetrySchedule(Options, () => 0);
        var old = Delivery(2, Now - TimeSpan.FromMinutes(60) + TimeSpan.FromMilliseconds(500)); // the next attempt, a second away, would be past MaxAge
        Assert.Contains("MaxAge", schedule.After(old, Now, null).GiveUpReason, StringComparison.Ordinal);
        Assert.Contains("MaxAge", schedule.After(Delivery(1), Now, TimeSpan.FromHours(2)).GiveUpReason, StringComparison.Ordinal);
        Assert.False(schedule.Expired(old, Now));
        Assert.True(schedule.Expired(old, Now + TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(200, SendResult.Delivered)]
    [InlineData(204, SendResult.Delivered)]
    [InlineData(400, SendResult.Rejected)]
    [InlineData(401, SendResult.Rejected)]
    [InlineData(404, SendResult.Rejected)]
    [InlineData(410, SendResult.Rejected)]
    [InlineData(408, SendResult.Retry)]
    [InlineData(429, SendResult.Retry)]
    [InlineData(500, SendResult.Retry)]
    [InlineData(502, SendResult.Retry)]
    [InlineData(503, SendResult.Retry)]
    public void Answers_are_delivered_rejected_for_good_or_retried(int status, SendResult expected)
    {
        var outcome = WebhookSender.Classify((HttpStatusCode)status, null, Now);
        Assert.Equal(expected, outcome.Result);
        if (expected != SendResult.Delivered)
        {
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_a_date_on_429_and_503_only()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), WebhookSender.Classify(HttpStatusCode.TooManyRequests, new(TimeSpan.FromSeconds(30)), Now).RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(2), WebhookSender.Classify(HttpStatusCode.ServiceUnavailable, new RetryConditionHeaderValue(Now.AddMinutes(2)), Now).RetryAfter);
        Assert.Null(WebhookSender.Classify(HttpStatusCode.InternalServerError, new(TimeSpan.FromSeconds(30)), Now).RetryAfter);
    }

    [Fact]
    public void Defaults_are_valid_and_each_bad_setting_is_named()
    {
        Assert.Empty(new WebhookOptions().Problems());
        var bad = new WebhookOptions
        {
            Urls = [new Uri("ftp://example.org/")],
            MaxAttempts = 0,
            MaxAge = TimeSpan.Zero,
            InitialBackoff = TimeSpan.FromMinutes(2),
            MaxBackoff = TimeSpan.FromMinutes(1),
            Retention = TimeSpan.FromDays(-1),
            BatchSize = 0,
            RequestTimeout = TimeSpan.Zero,
        };
        var problems = string.Join('\n', bad.Problems());
        foreach (var name in new[] { "Urls", "MaxAttempts", "MaxAge", "InitialBackoff", "Retention", "BatchSize", "RequestTimeout" })
        {
            Assert.Contains(name, problems, StringComparison.Ordinal);
        }
    }
}
