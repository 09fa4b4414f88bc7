using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Hosting;

/// <summary>
/// Providers of the product's own ports chosen by a setting, as Orleans chooses its own by ProviderType: the app lists
/// the providers it ships (name to registration), configuration names the one (or ones) to use, and a name it does not
/// ship stops start-up naming the setting and the names it knows.
/// </summary>
public static class ProviderSelection
{
    /// <summary>Registers the provider <paramref name="setting"/> names (<paramref name="defaultProvider"/> when unset).</summary>
    public static IServiceCollection AddSelectedProvider(
        this IServiceCollection services, IConfiguration configuration, string setting, string defaultProvider,
        IReadOnlyDictionary<string, Action<IServiceCollection>> providers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(providers);
        var chosen = configuration[setting] is { Length: > 0 } configured ? configured : defaultProvider;
        Registration(providers, setting, chosen)(services);
        return services;
    }

    /// <summary>
    /// Registers every provider the list under <paramref name="setting"/> names (<c>Setting:0</c>, <c>Setting:1</c>, ...;
    /// <paramref name="defaultProviders"/> when the list is absent), each once.
    /// </summary>
    public static IServiceCollection AddSelectedProviders(
        this IServiceCollection services, IConfiguration configuration, string setting, IReadOnlyList<string> defaultProviders,
        IReadOnlyDictionary<string, Action<IServiceCollection>> providers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(providers);
        var section = configuration.GetSection(setting);
        IEnumerable<string> chosen = section.Exists()
            ? section.GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0)
            : defaultProviders;
        foreach (var name in chosen.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Registration(providers, setting, name)(services);
        }

        return services;
    }

    private static Action<IServiceCollection> Registration(IReadOnlyDictionary<string, Action<IServiceCollection>> providers, string setting, string name) =>
        providers.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value
        ?? throw new InvalidOperationException(
            $"{setting} is '{name}', which this app does not have. Known: {string.Join(", ", providers.Keys.Order(StringComparer.Ordinal))}.");
}
