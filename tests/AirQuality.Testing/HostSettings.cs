namespace AirQuality.Testing;

/// <summary>Settings that several test classes give their hosts.</summary>
public static class HostSettings
{
    /// <summary>
    /// Settings with the alert rule most alert tests raise: "pm25-high", PM2.5 above 100 µg/m³ (cleared below 80),
    /// severity critical; plus any <paramref name="more"/>.
    /// </summary>
    public static Dictionary<string, string> WithPm25HighRule(params (string Key, string Value)[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var settings = new Dictionary<string, string>
        {
            ["Alerts:Rules:0:Id"] = "pm25-high",
            ["Alerts:Rules:0:Kind"] = "QuantityAbove",
            ["Alerts:Rules:0:Quantity"] = "Pm25",
            ["Alerts:Rules:0:Threshold"] = "100",
            ["Alerts:Rules:0:ClearThreshold"] = "80",
            ["Alerts:Rules:0:Severity"] = "critical",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
