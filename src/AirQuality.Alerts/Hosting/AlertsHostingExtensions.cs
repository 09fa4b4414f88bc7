using AirQuality.Alerts.Delivery;
using AirQuality.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace AirQuality.Alerts.Hosting;

/// <summary>Registers alert delivery and its channels.</summary>
public static class AlertsHostingExtensions
{
    /// <summary>
    /// The delivery engine (one hosted service running a loop per channel), the outbox-backed <see cref="IAlertSink"/>
    /// and the "AirQuality.Alerts" meter. It needs an <see cref="Outbox.IAlertOutbox"/> from a storage provider and channels
    /// from <see cref="AddAlertChannel{TChannel}"/>; without channels it delivers nothing. Safe to call more than once.
    /// Its hosted service opens the outbox when it starts: register it before the services that publish alerts.
    /// </summary>
    public static IServiceCollection AddAirQualityAlerts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertMetrics>();
        services.TryAddSingleton<AlertDeliverySignals>();
        services.TryAddSingleton<OutboxAlertSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, OutboxAlertSink>(sp => sp.GetRequiredService<OutboxAlertSink>()));
        services.AddHostedService<AlertDeliveryService>();
        services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(AlertMetrics.MeterName));
        return services;
    }

    /// <summary>
    /// Adds <typeparamref name="TChannel"/> as a singleton and as one of the <see cref="IAlertChannel"/>s that alert changes
    /// are enqueued for and delivered over (and alert delivery itself, if not added yet). Its options and clients are the
    /// caller's to register.
    /// </summary>
    public static IServiceCollection AddAlertChannel<TChannel>(this IServiceCollection services)
        where TChannel : class, IAlertChannel
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAirQualityAlerts();
        services.TryAddSingleton<TChannel>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertChannel, TChannel>(sp => sp.GetRequiredService<TChannel>()));
        return services;
    }
}
