namespace AirQuality.Alerts.Webhooks;

/// <summary>Webhook delivery of alert changes (configuration section "Alerts:Webhooks"): the URLs and the delivery policy.</summary>
public sealed class WebhookOptions : AlertDeliveryOptions
{
    public const string Section = "Alerts:Webhooks";

    /// <summary>URLs that receive every alert change as a CloudEvents 1.0 structured JSON POST.</summary>
    public List<Uri> Urls { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        foreach (var url in Urls)
        {
            if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            {
                yield return $"Alerts:Webhooks:Urls: '{url}' is not an absolute http(s) URL";
            }
        }

        foreach (var problem in DeliveryProblems(Section))
        {
            yield return problem;
        }
    }
}
