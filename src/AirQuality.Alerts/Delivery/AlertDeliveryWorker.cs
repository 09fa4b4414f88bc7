using AirQuality.Alerts.Outbox;
using Microsoft.Extensions.Logging;

namespace AirQuality.Alerts.Delivery;

/// <summary>
/// Delivers one channel's outbox deliveries: leases the due ones, hands them to the channel (a few at a time, never two
/// for the same sensor and destination, so each receiver gets a sensor's changes in order), and records each outcome:
/// delivered; retried later (exponential backoff with jitter, or the receiver's Retry-After); or dead-lettered (refused
/// for good, MaxAttempts or MaxAge reached, destination no longer configured).
/// </summary>
/// <remarks>
/// It sleeps until the channel's <see cref="AlertDeliverySignal"/> says something was enqueued or the earliest retry is
/// due (a timer on the <see cref="TimeProvider"/>), and deletes delivered rows older than the retention. Stopping the host
/// abandons sends in flight; their rows stay leased and are delivered after the restart (possibly a second time:
/// delivery is at-least-once, and the CloudEvent id is the same).
/// </remarks>
internal sealed partial class AlertDeliveryWorker
{
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly IAlertChannel _channel;
    private readonly string _name;
    private readonly IAlertOutbox _outbox;
    private readonly AlertDeliverySignal _signal;
    private readonly AlertMetrics _metrics;
    private readonly AlertDeliveryOptions _options;
    private readonly RetrySchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _destinations;
    private readonly TimeSpan _leaseFor;
    private readonly TimeSpan _retention;
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    // The retention is the longest of the host's channels: the outbox prunes every channel's delivered rows at once.
    public AlertDeliveryWorker(IAlertChannel channel, TimeSpan retention, IAlertOutbox outbox, AlertDeliverySignal signal, AlertMetrics metrics, TimeProvider time, ILogger logger)
    {
        _channel = channel;
        _name = channel.Name;
        _outbox = outbox;
        _signal = signal;
        _metrics = metrics;
        _options = channel.Delivery;
        _schedule = new RetrySchedule(_options);
        _time = time;
        _logger = logger;
        _destinations = new HashSet<string>(channel.Destinations, StringComparer.Ordinal);
        // Long enough to work through a whole batch of sends that all time out, so a lease never runs out
        // while its delivery is still in hand; leases of a stopped host are released at the next start anyway.
        var rounds = (_options.BatchSize + _options.MaxConcurrentDeliveries - 1) / _options.MaxConcurrentDeliveries;
        _leaseFor = (_options.RequestTimeout * rounds) + TimeSpan.FromMinutes(1);
        _retention = retention;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? wakeAt;
            try
            {
                await DeliverDueAsync(stoppingToken);
                _metrics.Observe(_name, await _outbox.CountAsync(_name, stoppingToken));
                wakeAt = await NextWakeAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The outbox keeps everything; a failing pass (disk trouble) is tried again, not the end of delivery.
                LogPassFailed(e, _name, PauseAfterError);
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
            // Before every lease, not only when a pass starts: a pass that keeps finding work still prunes on time.
            await PruneWhenDueAsync(cancellationToken);
            var due = await _outbox.LeaseDueAsync(_name, _options.BatchSize, _leaseFor, cancellationToken);
            if (due.Count == 0)
            {
                return;
            }

            // A lease holds at most one delivery per sensor and destination, so these can go out side by side.
            await Parallel.ForEachAsync(due, parallel, DeliverAsync);
        }
    }

    private async ValueTask DeliverAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        if (!_destinations.Contains(delivery.Destination))
        {
            await DeadLetterAsync(delivery, $"the {_name} destination is no longer configured");
            return;
        }

        if (_schedule.Expired(delivery, _time.GetUtcNow()))
        {
            await DeadLetterAsync(delivery, $"not delivered within MaxAge {_options.MaxAge}; last error: {delivery.LastError ?? "none"}");
            return;
        }

        var outcome = await SendAsync(delivery, cancellationToken);
        switch (outcome.Result)
        {
            case SendResult.Delivered:
                // Not cancellable: the receiver has it, and an unrecorded delivery is sent again after a restart.
                await _outbox.MarkDeliveredAsync(delivery.Id, CancellationToken.None);
                _metrics.Delivered(_name);
                LogDelivered(delivery.EventId, _name, delivery.Destination, delivery.Attempts);
                break;
            case SendResult.Rejected:
                await DeadLetterAsync(delivery, outcome.Reason ?? "refused");
                break;
            default:
                await RetryOrGiveUpAsync(delivery, outcome);
                break;
        }
    }

    private async Task<SendOutcome> SendAsync(OutboxDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            return await _channel.SendAsync(delivery.Destination, delivery.Payload, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A channel is to classify its failures; one it did not foresee is still just a failed attempt of this
            // delivery, retried on its schedule, rather than a failed pass that leaves the delivery leased.
            return new(SendResult.Retry, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task RetryOrGiveUpAsync(OutboxDelivery delivery, SendOutcome outcome)
    {
        var reason = outcome.Reason ?? "failed";
        var decision = _schedule.After(delivery, _time.GetUtcNow(), outcome.RetryAfter);
        if (decision.RetryAt is not { } retryAt)
        {
            await DeadLetterAsync(delivery, $"{reason}; {decision.GiveUpReason}");
            return;
        }

        await _outbox.MarkFailedAsync(delivery.Id, retryAt, reason, CancellationToken.None);
        _metrics.Retried(_name);
        LogRetrying(delivery.EventId, _name, delivery.Destination, reason, delivery.Attempts, retryAt);
    }

    private async Task DeadLetterAsync(OutboxDelivery delivery, string reason)
    {
        await _outbox.DeadLetterAsync(delivery.Id, reason, CancellationToken.None);
        _metrics.DeadLettered(_name);
        LogDeadLettered(delivery.EventId, _name, delivery.Destination, delivery.Attempts, reason);
    }

    private async Task PruneWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _prunedAt < PruneEvery)
        {
            return;
        }

        _prunedAt = now;
        var pruned = await _outbox.PruneDeliveredAsync(now - _retention, cancellationToken);
        if (pruned > 0)
        {
            _metrics.Pruned(_name, pruned);
            LogPruned(pruned, _retention);
        }
    }

    /// <summary>When the next delivery is due, at most <see cref="LongestSleep"/> away (null: nothing pending, wait for an enqueue).</summary>
    private async Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken)
    {
        if (await _outbox.NextDueAsync(_name, cancellationToken) is not { } due)
        {
            return null;
        }

        var latest = _time.GetUtcNow() + LongestSleep;
        return due < latest ? due : latest;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert event {EventId} delivered over {Channel} to {Destination} (attempt {Attempt})")]
    private partial void LogDelivered(string eventId, string channel, string destination, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert event {EventId} over {Channel} to {Destination} failed: {Reason} (attempt {Attempt}); next attempt at {NextAttemptAt:O}")]
    private partial void LogRetrying(string eventId, string channel, string destination, string reason, int attempt, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert event {EventId} over {Channel} to {Destination} dead-lettered after {Attempts} attempts: {Reason}")]
    private partial void LogDeadLettered(string eventId, string channel, string destination, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} delivered alert events older than {Retention} from the outbox")]
    private partial void LogPruned(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery pass over {Channel} failed; trying again in {Pause}")]
    private partial void LogPassFailed(Exception exception, string channel, TimeSpan pause);
}
