namespace AirQuality.Testing;

/// <summary>Settings that several test classes give their hosts.</summary>
public static class HostSettings
{
    /// <summary>
    /// The alert rule most alert tests raise: "pm25-high", PM2.5 above 100 µg/m³ (cleared below 80), with
    /// <paramref name="severity"/> if one is given (the host's default severity otherwise).
    /// </summary>
    public static Dictionary<string, string> Pm25HighRule(string? severity)
    {
        var settings = new Dictionary<string, string>
        {
            ["Alerts:Rules:0:Id"] = "pm25-high",
            ["Alerts:Rules:0:Kind"] = "QuantityAbove",
            ["Alerts:Rules:0:Quantity"] = "Pm25",
            ["Alerts:Rules:0:Threshold"] = "100",
            ["Alerts:Rules:0:ClearThreshold"] = "80",
        };
        if (severity is not null)
        {
            settings["Alerts:Rules:0:Severity"] = severity;
        }

        return settings;
    }

    /// <summary>Settings with <see cref="Pm25HighRule"/>, severity critical, plus any <paramref name="more"/>.</summary>
    public static Dictionary<string, string> WithPm25HighRule(params (string Key, string Value)[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var settings = Pm25HighRule("critical");
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
