using Microsoft.Extensions.Configuration;

namespace AirQuality.ServiceDefaults;

/// <summary>Orleans configured from its own "Orleans" section, with a provider that cannot be found named by its setting.</summary>
public static class OrleansProviders
{
    private static readonly string[] SingleKinds = ["Clustering", "Reminders"];
    private static readonly string[] NamedKinds = ["GrainStorage", "Streaming", "BroadcastChannel", "GrainDirectory"];

    /// <summary>
    /// Runs <paramref name="useOrleans"/> (UseOrleans or UseOrleansClient, which read the section). Orleans' own error
    /// for an unknown ProviderType names the kind and the value but not where it was set; this one adds the setting,
    /// e.g. "Orleans:GrainStorage:sensors:ProviderType is 'Sqlit': Could not find GrainStorage provider named 'Sqlit' ...".
    /// </summary>
    public static void Configure(IConfiguration configuration, Action useOrleans)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(useOrleans);
        try
        {
            useOrleans();
        }
        catch (InvalidOperationException e) when (SettingOf(configuration.GetSection("Orleans"), e.Message) is { } setting)
        {
            throw new InvalidOperationException($"{setting}: {e.Message}", e);
        }
    }

    private static string? SettingOf(IConfigurationSection orleans, string message)
    {
        var sections = SingleKinds.Select(kind => (Kind: kind, Section: orleans.GetSection(kind)))
            .Concat(NamedKinds.SelectMany(kind => orleans.GetSection(kind).GetChildren().Select(child => (Kind: kind, Section: child))));
        foreach (var (kind, section) in sections)
        {
            if (section["ProviderType"] is { } type && message.Contains($"{kind} provider named '{type}'", StringComparison.Ordinal))
            {
                return $"{section.Path}:ProviderType is '{type}'";
            }
        }

        return null;
    }
}
