namespace AirQuality.Domain.Alerts;

/// <summary>
/// Which rules apply to a sensor: the defaults, then the overrides of its area (country), then its own. An
/// override replaces the rule with the same id; an override with Enabled = false removes it.
/// </summary>
public static class AlertRuleSet
{
    public static IReadOnlyList<AlertRule> Resolve(IEnumerable<AlertRule> defaults, IEnumerable<AlertRule>? area, IEnumerable<AlertRule>? sensor)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var rules = new Dictionary<string, AlertRule>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var layer in new[] { defaults, area ?? [], sensor ?? [] })
        {
            foreach (var rule in layer)
            {
                if (!rules.ContainsKey(rule.Id))
                {
                    order.Add(rule.Id);
                }

                rules[rule.Id] = rule;
            }
        }

        return order.Select(id => rules[id]).Where(r => r.Enabled).ToArray();
    }
}
