using System.Globalization;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Sensors;

namespace AirQuality.Domain.Alerts;

/// <summary>
/// The alerts of one sensor: for each rule, whether its raise condition is pending, and the one open alert
/// (ACTIVE or ACKNOWLEDGED) it may have. <see cref="Evaluate"/> runs on every update of the sensor and
/// returns the transitions to publish. Pure and single-threaded, owned by the sensor's grain.
/// </summary>
public sealed class AlertBook
{
    private readonly Dictionary<string, Tracker> _trackers = new(StringComparer.Ordinal);

    public AlertBook(string sensorId) => SensorId = sensorId;

    public string SensorId { get; }

    /// <summary>Open alerts (ACTIVE or ACKNOWLEDGED), at most one per rule.</summary>
    public IEnumerable<Alert> Open => _trackers.Values.Where(t => t.Open is not null).Select(t => t.Open!);

    /// <summary>Applies the rules to the sensor as it is now and returns what changed.</summary>
    public IReadOnlyList<AlertTransition> Evaluate(IReadOnlyList<AlertRule> rules, SensorState sensor, Func<AqiStandardId, OverallAqi> aqi, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentNullException.ThrowIfNull(aqi);
        var transitions = new List<AlertTransition>();
        foreach (var rule in rules)
        {
            if (!_trackers.TryGetValue(rule.Id, out var tracker))
            {
                _trackers[rule.Id] = tracker = new Tracker();
            }

            var condition = Condition(rule, tracker, sensor, aqi, now);
            if (condition is { } c)
            {
                Step(rule, tracker, c, now, transitions);
            }
        }

        return transitions;
    }

    /// <summary>ACTIVE -> ACKNOWLEDGED. Null when there is no such open alert; an acknowledged one is acknowledged once.</summary>
    public AlertTransition? Acknowledge(string alertId, string? note, DateTimeOffset now)
    {
        var tracker = _trackers.Values.FirstOrDefault(t => t.Open?.Id == alertId);
        if (tracker?.Open is not { State: AlertState.Active } open)
        {
            return null;
        }

        tracker.Open = open with { State = AlertState.Acknowledged, AcknowledgedAt = now, AcknowledgeNote = note };
        return new AlertTransition(AlertTransitionKind.Acknowledged, tracker.Open, now);
    }

    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write((ushort)_trackers.Count);
        foreach (var (ruleId, t) in _trackers)
        {
            writer.Write(ruleId);
            writer.Write(t.PendingSince?.UtcTicks ?? 0);
            writer.Write(t.LastNotifiedAt?.UtcTicks ?? 0);
            writer.Write(t.StuckValue);
            writer.Write(t.StuckAt?.UtcTicks ?? 0);
            writer.Write(t.StuckRepeats);
            writer.Write(t.Open is not null);
            if (t.Open is { } a)
            {
                writer.Write(a.Id);
                writer.Write(a.Severity);
                writer.Write((byte)a.State);
                writer.Write(a.RaisedAt.UtcTicks);
                writer.Write(a.AcknowledgedAt?.UtcTicks ?? 0);
                writer.Write(a.TriggerValue ?? double.NaN);
                writer.Write(a.Message);
                writer.Write(a.AcknowledgeNote ?? "");
            }
        }
    }

    public static AlertBook ReadFrom(BinaryReader reader, string sensorId)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var book = new AlertBook(sensorId);
        var count = reader.ReadUInt16();
        for (var i = 0; i < count; i++)
        {
            var ruleId = reader.ReadString();
            var t = new Tracker
            {
                PendingSince = Time(reader.ReadInt64()),
                LastNotifiedAt = Time(reader.ReadInt64()),
                StuckValue = reader.ReadDouble(),
                StuckAt = Time(reader.ReadInt64()),
                StuckRepeats = reader.ReadInt32(),
            };
            if (reader.ReadBoolean())
            {
                var id = reader.ReadString();
                var severity = reader.ReadString();
                var state = (AlertState)reader.ReadByte();
                var raised = Time(reader.ReadInt64())!.Value;
                var acknowledged = Time(reader.ReadInt64());
                var value = reader.ReadDouble();
                var message = reader.ReadString();
                var note = reader.ReadString();
                t.Open = new Alert(id, sensorId, ruleId, severity, state, raised, acknowledged, null,
                    double.IsNaN(value) ? null : value, message, note.Length == 0 ? null : note);
            }

            book._trackers[ruleId] = t;
        }

        return book;
    }

    private static DateTimeOffset? Time(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    /// <summary>Whether the rule's raise and clear conditions hold now; null when the data cannot tell.</summary>
    private static Reading? Condition(AlertRule rule, Tracker tracker, SensorState sensor, Func<AqiStandardId, OverallAqi> aqi, DateTimeOffset now)
    {
        switch (rule.Kind)
        {
            case AlertRuleKind.AqiAtLeast:
                var overall = aqi(rule.Standard);
                return overall.HasIndex
                    ? new Reading(overall.Index >= rule.Level, overall.Index <= rule.ClearLevel, overall.Index) { Aqi = overall }
                    : null;
            case AlertRuleKind.QuantityAbove or AlertRuleKind.QuantityBelow:
                if (Latest(sensor, rule.Quantity) is not { } latest)
                {
                    return null;
                }

                var above = rule.Kind == AlertRuleKind.QuantityAbove;
                return new Reading(
                    above ? latest.Value > rule.Threshold : latest.Value < rule.Threshold,
                    above ? latest.Value <= rule.ClearThreshold : latest.Value >= rule.ClearThreshold,
                    latest.Value);
            case AlertRuleKind.Offline:
                if (sensor.LastSeen is not { } last)
                {
                    return null; // never seen is not offline
                }

                var silent = now - last;
                return new Reading(silent > rule.OfflineAfter, silent <= rule.OfflineAfter, silent.TotalMinutes) { LastSeen = last };
            default:
                if (Latest(sensor, rule.Quantity) is not { } value)
                {
                    return null;
                }

                if (tracker.StuckAt is null || value.Timestamp > tracker.StuckAt)
                {
                    tracker.StuckRepeats = tracker.StuckAt is not null && value.Value.Equals(tracker.StuckValue) ? tracker.StuckRepeats + 1 : 1;
                    tracker.StuckValue = value.Value;
                    tracker.StuckAt = value.Timestamp;
                }

                return new Reading(tracker.StuckRepeats >= rule.StuckCount, tracker.StuckRepeats == 1, value.Value) { Repeats = tracker.StuckRepeats };
        }
    }

    /// <summary>The words of an alert, built only when it is raised or re-notified (evaluation runs on every reading).</summary>
    private static string Describe(AlertRule rule, Reading c)
    {
        Quantity? quantity = rule.Kind is AlertRuleKind.AqiAtLeast or AlertRuleKind.Offline ? null : Quantity.Of(rule.Quantity);
        return rule.Kind switch
        {
            AlertRuleKind.AqiAtLeast =>
                $"{AqiStandard.Get(rule.Standard).Name} index {c.Aqi.Index} ({c.Aqi.Category?.Name}, {c.Aqi.DominantPollutant?.ToName()})",
            AlertRuleKind.QuantityAbove or AlertRuleKind.QuantityBelow => string.Create(CultureInfo.InvariantCulture,
                $"{quantity!.Value.Name} {c.Value} {quantity.Value.CanonicalUnit.ToSymbol()} is {(rule.Kind == AlertRuleKind.QuantityAbove ? "above" : "below")} {rule.Threshold}"),
            AlertRuleKind.Offline => $"no reading for {c.Value:0} minutes (since {c.LastSeen:u})",
            _ => string.Create(CultureInfo.InvariantCulture, $"{quantity!.Value.Name} has read {c.Value} {c.Repeats} times in a row"),
        };
    }

    private static LatestValue? Latest(SensorState sensor, QuantityKind kind)
    {
        foreach (var latest in sensor.Latest)
        {
            if (latest.Quantity.Kind == kind)
            {
                return latest;
            }
        }

        return null;
    }

    private void Step(AlertRule rule, Tracker tracker, Reading condition, DateTimeOffset now, List<AlertTransition> transitions)
    {
        if (tracker.Open is null)
        {
            if (!condition.Raise)
            {
                tracker.PendingSince = null;
                return;
            }

            tracker.PendingSince ??= now;
            if (now - tracker.PendingSince.Value < rule.SustainFor)
            {
                return;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{SensorId}/{rule.Id}/{now.UtcTicks}");
            tracker.Open = new Alert(id, SensorId, rule.Id, rule.Severity, AlertState.Active, now, null, null, condition.Value, Describe(rule, condition));
            tracker.LastNotifiedAt = now;
            tracker.PendingSince = null;
            transitions.Add(new AlertTransition(AlertTransitionKind.Raised, tracker.Open, now));
            return;
        }

        if (condition.Clear)
        {
            var cleared = tracker.Open with { State = AlertState.Cleared, ClearedAt = now };
            tracker.Open = null;
            tracker.PendingSince = null;
            transitions.Add(new AlertTransition(AlertTransitionKind.Cleared, cleared, now));
            return;
        }

        if (tracker.Open.State == AlertState.Active && rule.RenotifyEvery > TimeSpan.Zero && now - tracker.LastNotifiedAt >= rule.RenotifyEvery)
        {
            tracker.Open = tracker.Open with { TriggerValue = condition.Value, Message = Describe(rule, condition) };
            tracker.LastNotifiedAt = now;
            transitions.Add(new AlertTransition(AlertTransitionKind.Renotified, tracker.Open, now));
        }
    }

    /// <summary>A rule's conditions at one moment: raise, clear (hysteresis: both can be false), the value, and what the words need.</summary>
    private readonly record struct Reading(bool Raise, bool Clear, double? Value)
    {
        public OverallAqi Aqi { get; init; }

        public DateTimeOffset? LastSeen { get; init; }

        public int Repeats { get; init; }
    }

    private sealed class Tracker
    {
        public DateTimeOffset? PendingSince { get; set; }

        public DateTimeOffset? LastNotifiedAt { get; set; }

        public Alert? Open { get; set; }

        public double StuckValue { get; set; }

        public DateTimeOffset? StuckAt { get; set; }

        public int StuckRepeats { get; set; }
    }
}
