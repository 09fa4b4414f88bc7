using AirQuality.Alerts.Outbox;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Alerts;

/// <summary>
/// Delivers the outbox's webhook deliveries: leases the due ones, POSTs them (a few at a time, never two for
/// the same sensor and URL, so each receiver gets a sensor's changes in order), and records each outcome:
/// delivered; retried later (exponential backoff with jitter, or the receiver's Retry-After); or dead-lettered
/// (refused with a 4xx other than 408/429, MaxAttempts or MaxAge reached, URL no longer configured).
/// </summary>
/// <remarks>
/// It sleeps until the <see cref="AlertDeliverySignal"/> says something was enqueued or the earliest retry
/// is due (a timer on the <see cref="TimeProvider"/>), and deletes delivered rows older than Retention.
/// Stopping the host abandons sends in flight; their rows stay leased and are delivered after the restart
/// (possibly a second time: delivery is at-least-once, and the CloudEvent id is the same).
/// </remarks>
public sealed partial class WebhookDeliveryService : BackgroundService
{
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly IAlertOutbox _outbox;
    private readonly WebhookSender _sender;
    private readonly AlertDeliverySignal _signal;
    private readonly AlertMetrics _metrics;
    private readonly WebhookOptions _options;
    private readonly RetrySchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDeliveryService> _logger;
    private readonly Dictionary<string, Uri> _urls;
    private readonly TimeSpan _leaseFor;
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    public WebhookDeliveryService(
        IAlertOutbox outbox,
        WebhookSender sender,
        AlertDeliverySignal signal,
        AlertMetrics metrics,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookDeliveryService> logger,
        RetrySchedule? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _sender = sender;
        _signal = signal;
        _metrics = metrics;
        _options = options.Value;
        _schedule = schedule ?? new RetrySchedule(_options);
        _time = time;
        _logger = logger;
        _urls = WebhookAlertSink.Destinations(_options).ToDictionary(d => d, d => new Uri(d), StringComparer.Ordinal);
        // Long enough to work through a whole batch of sends that all time out, so a lease never runs out
        // while its delivery is still in hand; leases of a stopped host are released at the next start anyway.
        var rounds = (_options.BatchSize + _options.MaxConcurrentDeliveries - 1) / _options.MaxConcurrentDeliveries;
        _leaseFor = (_options.RequestTimeout * rounds) + TimeSpan.FromMinutes(1);
    }

    /// <summary>Opens the outbox before anything can publish, so an unusable alerts.db stops start-up with its path in the message.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _outbox.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? wakeAt;
            try
            {
                await PruneWhenDueAsync(stoppingToken);
                await DeliverDueAsync(stoppingToken);
                _metrics.Observe(await _outbox.CountAsync(WebhookAlertSink.Channel, stoppingToken));
                wakeAt = await NextWakeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The outbox keeps everything; a failing pass (disk trouble) is tried again, not the end of delivery.
                LogPassFailed(e, PauseAfterError);
                wakeAt = _time.GetUtcNow() + PauseAfterError;
            }

            await _signal.WaitAsync(wakeAt, _time, stoppingToken);
        }
    }

    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentDeliveries, CancellationToken = cancellationToken };
        while (true)
        {
            var due = await _outbox.LeaseDueAsync(WebhookAlertSink.Channel, _options.BatchSize, _leaseFor, cancellationToken);
            if (due.Count == 0)
            {
                return;
            }

            // A lease holds at most one delivery per sensor and URL, so these can go out side by side.
            await Parallel.ForEachAsync(due, parallel, DeliverAsync);
        }
    }

    private async ValueTask DeliverAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        if (!_urls.TryGetValue(delivery.Destination, out var url))
        {
            await DeadLetterAsync(delivery, "the webhook URL is no longer configured");
            return;
        }

        if (_schedule.Expired(delivery, _time.GetUtcNow()))
        {
            await DeadLetterAsync(delivery, $"not delivered within MaxAge {_options.MaxAge}; last error: {delivery.LastError ?? "none"}");
            return;
        }

        var outcome = await _sender.SendAsync(url, delivery.Payload, cancellationToken);
        switch (outcome.Result)
        {
            case SendResult.Delivered:
                // Not cancellable: the receiver has it, and an unrecorded delivery is sent again after a restart.
                await _outbox.MarkDeliveredAsync(delivery.Id, CancellationToken.None);
                _metrics.Delivered(WebhookAlertSink.Channel);
                LogDelivered(delivery.EventId, delivery.Destination, delivery.Attempts);
                break;
            case SendResult.Rejected:
                await DeadLetterAsync(delivery, outcome.Reason!);
                break;
            default:
                await RetryOrGiveUpAsync(delivery, outcome);
                break;
        }
    }

    private async Task RetryOrGiveUpAsync(OutboxDelivery delivery, SendOutcome outcome)
    {
        var decision = _schedule.After(delivery, _time.GetUtcNow(), outcome.RetryAfter);
        if (decision.RetryAt is not { } retryAt)
        {
            await DeadLetterAsync(delivery, $"{outcome.Reason}; {decision.GiveUpReason}");
            return;
        }

        await _outbox.MarkFailedAsync(delivery.Id, retryAt, outcome.Reason!, CancellationToken.None);
        _metrics.Retried(WebhookAlertSink.Channel);
        LogRetrying(delivery.EventId, delivery.Destination, outcome.Reason!, delivery.Attempts, retryAt);
    }

    private async Task DeadLetterAsync(OutboxDelivery delivery, string reason)
    {
        await _outbox.DeadLetterAsync(delivery.Id, reason, CancellationToken.None);
        _metrics.DeadLettered(WebhookAlertSink.Channel);
        LogDeadLettered(delivery.EventId, delivery.Destination, delivery.Attempts, reason);
    }

    private async Task PruneWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _prunedAt < PruneEvery)
        {
            return;
        }

        _prunedAt = now;
        var pruned = await _outbox.PruneDeliveredAsync(now - _options.Retention, cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned, _options.Retention);
        }
    }

    /// <summary>When the next delivery is due, at most <see cref="LongestSleep"/> away (null: nothing pending, wait for an enqueue).</summary>
    private async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken)
    {
        if (await _outbox.NextDueAsync(WebhookAlertSink.Channel, cancellationToken) is not { } due)
        {
            return null;
        }

        var latest = _time.GetUtcNow() + LongestSleep;
        return due < latest ? due : latest;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert event {EventId} delivered to {Url} (attempt {Attempt})")]
    private partial void LogDelivered(string eventId, string url, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert event {EventId} to {Url} failed: {Reason} (attempt {Attempt}); next attempt at {NextAttemptAt:O}")]
    private partial void LogRetrying(string eventId, string url, string reason, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert event {EventId} to {Url} dead-lettered after {Attempts} attempts: {Reason}")]
    private partial void LogDeadLettered(string eventId, string url, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} delivered alert events older than {Retention} from the outbox")]
    private partial void LogPruned(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery pass failed; trying again in {Pause}")]
    private partial void LogPassFailed(Exception exception, TimeSpan pause);
}
