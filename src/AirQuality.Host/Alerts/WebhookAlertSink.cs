using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using AirQuality.Contracts;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Alerts;

/// <summary>Webhook delivery of alert changes (configuration section "Alerts:Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Alerts:Webhooks";

    /// <summary>URLs that receive every alert change as a CloudEvents 1.0 structured JSON POST.</summary>
    public List<Uri> Urls { get; set; } = [];

    /// <summary>Events waiting for delivery; beyond this the oldest are dropped and logged. Default 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Attempts per event and URL before it is given up and logged. Default 8 (about 4 minutes of backoff).</summary>
    public int MaxAttempts { get; set; } = 8;

    public IEnumerable<string> Problems()
    {
        foreach (var url in Urls)
        {
            if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            {
                yield return $"Alerts:Webhooks:Urls: '{url}' is not an absolute http(s) URL";
            }
        }

        if (QueueCapacity is < 1 or > 1_000_000 || MaxAttempts is < 1 or > 100)
        {
            yield return "Alerts:Webhooks: QueueCapacity must be 1-1000000 and MaxAttempts 1-100";
        }
    }
}

/// <summary>
/// Posts alert changes to webhooks as CloudEvents 1.0 (application/cloudevents+json). Publishing only
/// enqueues, so a slow or dead receiver never holds up a sensor; a background loop delivers with
/// exponential backoff. The queue is in memory: events waiting when the process stops are logged as lost.
/// A durable outbox in the sensor's state is the next step for delivery across restarts.
/// </summary>
public sealed partial class WebhookAlertSink : BackgroundService, IAlertSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<AlertEvent> _queue;
    private readonly WebhookOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookAlertSink> _logger;

    public WebhookAlertSink(IOptions<WebhookOptions> options, IHttpClientFactory http, TimeProvider time, ILogger<WebhookAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        _options = options.Value;
        _http = http.CreateClient(nameof(WebhookAlertSink));
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<AlertEvent>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest },
            dropped => LogDropped(dropped.Alert.Id, dropped.Kind));
    }

    public ValueTask PublishAsync(AlertEvent alertEvent, CancellationToken cancellationToken)
    {
        if (_options.Urls.Count > 0)
        {
            _queue.Writer.TryWrite(alertEvent);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The CloudEvents 1.0 structured-mode envelope of an alert change.</summary>
    public static object ToCloudEvent(AlertEvent e) => new Dictionary<string, object?>
    {
        ["specversion"] = "1.0",
        ["type"] = $"org.airquality.alert.{e.Kind}",
        ["source"] = $"/sensors/{Uri.EscapeDataString(e.Alert.SensorId)}",
        ["subject"] = e.Alert.Rule,
        ["id"] = $"{e.Alert.Id}/{e.Kind}/{e.At.UtcTicks}",
        ["time"] = e.At.UtcDateTime.ToString("O"),
        ["datacontenttype"] = "application/json",
        ["data"] = e.Alert,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alertEvent in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var url in _options.Urls)
                {
                    await DeliverAsync(url, alertEvent, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var lost))
            {
                LogDropped(lost.Alert.Id, lost.Kind);
            }
        }
    }

    private async Task DeliverAsync(Uri url, AlertEvent alertEvent, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            try
            {
                using var content = JsonContent.Create(ToCloudEvent(alertEvent), mediaType: new("application/cloudevents+json"), options: Json);
                using var response = await _http.PostAsync(url, content, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                LogFailed(url, (int)response.StatusCode, attempt);
            }
            catch (HttpRequestException e)
            {
                LogUnreachable(url, e.Message, attempt);
            }

            await Task.Delay(delay, _time, cancellationToken);
            delay *= 2;
        }

        LogDropped(alertEvent.Alert.Id, alertEvent.Kind);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} answered {Status} (attempt {Attempt})")]
    private partial void LogFailed(Uri url, int status, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} unreachable: {Reason} (attempt {Attempt})")]
    private partial void LogUnreachable(Uri url, string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} {Kind} was not delivered to the webhooks")]
    private partial void LogDropped(string alertId, string kind);
}
