using System.Collections.Concurrent;
using AirQuality.Alerts;
using AirQuality.Alerts.Hosting;
using AirQuality.Alerts.Outbox;
using AirQuality.Alerts.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>
/// The delivery seam with a second channel beside the webhooks (as Event Grid will be): it gets every alert change,
/// the same bytes, on a loop of its own, and what goes wrong with it stays with it.
/// </summary>
public sealed class AlertChannelTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private WebhookOptions Webhooks => new() { Urls = [_receiver.Url] };

    [Fact]
    public async Task A_second_channel_gets_each_change_once_per_destination_and_its_failures_hold_no_webhook_back()
    {
        var queues = new RecordingChannel("recording", ["queue-a", "queue-b"], _ => new(SendResult.Retry, "queue down"));
        await using var rig = new DeliveryRig(Webhooks, s => s.AddSingleton(queues).AddAlertChannel<RecordingChannel>());
        await rig.StartAsync();

        var raised = await rig.RaiseAsync("two-channels");

        var webhook = await _receiver.NextAsync();
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 1);
        await rig.Counters.WaitForAsync(AlertCounters.Retried, 2);
        var sent = queues.Drain();
        Assert.Equal(["queue-a", "queue-b"], sent.Select(s => s.Destination).Order());
        Assert.All(sent, s => Assert.Equal(webhook.Body.GetRawText(), s.Json));
        var rows = await rig.Outbox.FindAsync(AlertCloudEvent.Id(raised), CancellationToken.None);
        Assert.Equal(
            [("recording", "queue-a", OutboxState.Pending, "queue down"), ("recording", "queue-b", OutboxState.Pending, "queue down"), ("webhook", _receiver.Url.AbsoluteUri, OutboxState.Delivered, null)],
            rows.Select(r => (r.Channel, r.Destination, r.State, r.LastError)).Order());
    }

    [Fact]
    public async Task A_channel_that_throws_has_failed_an_attempt_and_is_tried_again()
    {
        var flaky = new RecordingChannel("flaky", ["somewhere"], n => n == 1 ? throw new InvalidOperationException("not foreseen") : new(SendResult.Delivered));
        await using var rig = new DeliveryRig(Webhooks, s => s.AddSingleton(flaky).AddAlertChannel<RecordingChannel>());
        await rig.StartAsync();

        var raised = await rig.RaiseAsync("flaky");
        await rig.Counters.WaitForAsync(AlertCounters.Retried, 1);
        var failed = Assert.Single(await rig.Outbox.FindAsync(AlertCloudEvent.Id(raised), CancellationToken.None), r => r.Channel == "flaky");
        Assert.Contains("not foreseen", failed.LastError, StringComparison.Ordinal);

        rig.Time.Advance((await rig.Outbox.NextDueAsync("flaky", CancellationToken.None))!.Value - rig.Time.GetUtcNow());
        await rig.Counters.WaitForAsync(AlertCounters.Delivered, 2); // the webhook's and the flaky channel's
        Assert.Equal(2, flaky.Drain().Count);
    }

    [Fact]
    public async Task Two_channels_of_one_name_stop_start_up()
    {
        var impostor = new RecordingChannel(WebhookChannel.ChannelName, ["elsewhere"], _ => new(SendResult.Delivered));
        await using var rig = new DeliveryRig(Webhooks, s => s.AddSingleton(impostor).AddAlertChannel<RecordingChannel>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(rig.StartAsync);

        Assert.Contains("webhook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_channels_problems_name_its_own_section()
    {
        Assert.Contains("Alerts:Webhooks:MaxAttempts must be 1-10000, got 0", new WebhookOptions { MaxAttempts = 0 }.Problems());
        Assert.Contains("Alerts:Recording:MaxAttempts must be 1-10000, got 0", new RecordingOptions { MaxAttempts = 0 }.Problems());
    }

    private sealed class RecordingOptions : AlertDeliveryOptions
    {
        public IEnumerable<string> Problems() => DeliveryProblems("Alerts:Recording");
    }

    /// <summary>A channel that keeps what it is given and answers as scripted (by the n-th send, from 1).</summary>
    private sealed class RecordingChannel(string name, string[] destinations, Func<int, SendOutcome> answer) : IAlertChannel
    {
        private readonly ConcurrentQueue<(string Destination, string Json)> _sent = new();
        private int _count;

        public string Name => name;

        public IReadOnlyCollection<string> Destinations => destinations;

        public AlertDeliveryOptions Delivery { get; } = new RecordingOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(40) };

        public Task<SendOutcome> SendAsync(string destination, string cloudEventJson, CancellationToken cancellationToken)
        {
            _sent.Enqueue((destination, cloudEventJson));
            return Task.FromResult(answer(Interlocked.Increment(ref _count)));
        }

        public List<(string Destination, string Json)> Drain()
        {
            var sent = new List<(string, string)>();
            while (_sent.TryDequeue(out var one))
            {
                sent.Add(one);
            }

            return sent;
        }
    }
}
