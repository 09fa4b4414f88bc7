using AirQuality.Alerts.Hosting;
using AirQuality.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AirQuality.Alerts.Webhooks.Hosting;

/// <summary>Registers the webhook alert channel.</summary>
public static class WebhookAlertsHostingExtensions
{
    /// <summary>
    /// The webhook channel with its options (section "Alerts:Webhooks", validated at start) and its named HttpClient, whose
    /// timeout is the RequestTimeout; alert delivery itself comes along (<see cref="AlertsHostingExtensions.AddAirQualityAlerts"/>).
    /// With no URLs configured nothing is enqueued for it.
    /// </summary>
    public static IServiceCollection AddWebhookAlerts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section, o => o.Problems());
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RequestTimeout);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookSender>();
        return services.AddAlertChannel<WebhookChannel>();
    }
}
