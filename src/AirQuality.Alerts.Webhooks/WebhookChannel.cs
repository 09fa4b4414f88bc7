using Microsoft.Extensions.Options;

namespace AirQuality.Alerts.Webhooks;

/// <summary>
/// The webhook alert channel: each configured URL is a destination (its <see cref="Uri.AbsoluteUri"/>, each once), and a
/// delivery is one POST of the stored CloudEvent to it (<see cref="WebhookSender"/>).
/// </summary>
public sealed class WebhookChannel : IAlertChannel
{
    /// <summary>The outbox channel of webhook deliveries, also the metrics' <c>channel</c> tag.</summary>
    public const string ChannelName = "webhook";

    private readonly WebhookSender _sender;
    private readonly WebhookOptions _options;
    private readonly Dictionary<string, Uri> _urls;

    public WebhookChannel(WebhookSender sender, IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender;
        _options = options.Value;
        _urls = _options.Urls.DistinctBy(u => u.AbsoluteUri, StringComparer.Ordinal).ToDictionary(u => u.AbsoluteUri, u => u, StringComparer.Ordinal);
    }

    public string Name => ChannelName;

    public IReadOnlyCollection<string> Destinations => _urls.Keys;

    public AlertDeliveryOptions Delivery => _options;

    public Task<SendOutcome> SendAsync(string destination, string cloudEventJson, CancellationToken cancellationToken) =>
        _sender.SendAsync(_urls.TryGetValue(destination, out var url) ? url : new Uri(destination), cloudEventJson, cancellationToken);
}
