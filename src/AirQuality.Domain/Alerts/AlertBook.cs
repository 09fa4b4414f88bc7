using System.Globalization;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Sensors;

namespace AirQuality.Domain.Alerts;

/// <summary>Where an <see cref="AlertBook"/> gets a sensor's overall index under a standard (the grain caches it).</summary>
public interface IAqiSource
{
    OverallAqi Overall(AqiStandardId standard, DateTimeOffset now);
}

/// <summary>
/// The alerts of one sensor: for each rule, whether its raise condition is pending, and the one open alert
/// (ACTIVE or ACKNOWLEDGED) it may have. <see cref="Evaluate"/> runs on every update of the sensor and
/// returns the transitions to publish. Pure and single-threaded, owned by the sensor's grain.
/// </summary>
/// <remarks>
/// A million sensors each hold one of these, and evaluation runs on every grain call, so it is kept small
/// and allocation-free: trackers are structs in one array, created only for rules with something to
/// remember (a pending raise, an open alert, a stuck count), and nothing is allocated unless an alert changes.
/// </remarks>
public sealed class AlertBook
{
    private static readonly AlertTransition[] NoTransitions = [];
    private Tracker[] _trackers = [];

    public AlertBook(string sensorId) => SensorId = sensorId;

    public string SensorId { get; }

    /// <summary>Open alerts (ACTIVE or ACKNOWLEDGED), at most one per rule.</summary>
    public IEnumerable<Alert> Open => _trackers.Where(t => t.Open is not null).Select(t => t.Open!);

    /// <summary>Applies the rules to the sensor as it is now and returns what changed.</summary>
    public IReadOnlyList<AlertTransition> Evaluate(IReadOnlyList<AlertRule> rules, SensorState sensor, IAqiSource aqi, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentNullException.ThrowIfNull(aqi);
        List<AlertTransition>? transitions = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var slot = Find(rule.Id, i);
            var tracker = slot >= 0 ? _trackers[slot] : default;
            var condition = Condition(rule, ref tracker, sensor, aqi, now);
            if (condition is { } c && Step(rule, ref tracker, c, now) is { } transition)
            {
                (transitions ??= []).Add(transition);
            }

            Keep(slot, rule.Id, tracker);
        }

        return transitions ?? (IReadOnlyList<AlertTransition>)NoTransitions;
    }

    /// <summary>
    /// The earliest moment at which evaluating again could change an alert with no new reading: an offline
    /// rule's deadline, a pending raise's end of sustain, an active alert's re-notify time. Null when only a
    /// reading can change anything. The grain asks to be woken then, so a sensor that has gone silent (and
    /// whose grain may long be deactivated) still raises its offline alert.
    /// </summary>
    public DateTimeOffset? NextDue(IReadOnlyList<AlertRule> rules, SensorState sensor)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(sensor);
        var due = long.MaxValue;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var slot = Find(rule.Id, i);
            var tracker = slot >= 0 ? _trackers[slot] : default;
            if (tracker.PendingSince != 0)
            {
                due = Math.Min(due, tracker.PendingSince + rule.SustainFor.Ticks);
            }

            if (tracker.Open is { State: AlertState.Active } && rule.RenotifyEvery > TimeSpan.Zero)
            {
                due = Math.Min(due, tracker.LastNotifiedAt + rule.RenotifyEvery.Ticks);
            }

            if (rule.Kind == AlertRuleKind.Offline && tracker.Open is null && sensor.LastSeen is { } last)
            {
                // Offline means silent for longer than OfflineAfter: one tick past it.
                due = Math.Min(due, last.UtcTicks + rule.OfflineAfter.Ticks + 1);
            }
        }

        return due == long.MaxValue ? null : Time(due);
    }

    /// <summary>ACTIVE -> ACKNOWLEDGED. Null when there is no such open alert; an acknowledged one is acknowledged once.</summary>
    public AlertTransition? Acknowledge(string alertId, string? note, DateTimeOffset now)
    {
        for (var i = 0; i < _trackers.Length; i++)
        {
            if (_trackers[i].Open is { State: AlertState.Active } open && open.Id == alertId)
            {
                _trackers[i].Open = open with { State = AlertState.Acknowledged, AcknowledgedAt = now, AcknowledgeNote = note };
                return new AlertTransition(AlertTransitionKind.Acknowledged, _trackers[i].Open!, now);
            }
        }

        return null;
    }

    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write((ushort)_trackers.Length);
        foreach (var t in _trackers)
        {
            writer.Write(t.RuleId);
            writer.Write(t.PendingSince);
            writer.Write(t.LastNotifiedAt);
            writer.Write(t.StuckValue);
            writer.Write(t.StuckAt);
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
        var trackers = new Tracker[reader.ReadUInt16()];
        for (var i = 0; i < trackers.Length; i++)
        {
            var ruleId = reader.ReadString();
            ref var t = ref trackers[i];
            t.RuleId = ruleId;
            t.PendingSince = reader.ReadInt64();
            t.LastNotifiedAt = reader.ReadInt64();
            t.StuckValue = reader.ReadDouble();
            t.StuckAt = reader.ReadInt64();
            t.StuckRepeats = reader.ReadInt32();
            if (reader.ReadBoolean())
            {
                var id = reader.ReadString();
                var severity = reader.ReadString();
                var state = (AlertState)reader.ReadByte();
                var raised = Time(reader.ReadInt64());
                var acknowledged = reader.ReadInt64() is var ack and not 0 ? Time(ack) : (DateTimeOffset?)null;
                var value = reader.ReadDouble();
                var message = reader.ReadString();
                var note = reader.ReadString();
                t.Open = new Alert(id, sensorId, ruleId, severity, state, raised, acknowledged, null,
                    double.IsNaN(value) ? null : value, message, note.Length == 0 ? null : note);
            }
        }

        book._trackers = trackers;
        return book;
    }

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Where the tracker of a rule is, or -1. Rules keep their order, so the rule's position is tried first.</summary>
    private int Find(string ruleId, int hint)
    {
        if (hint < _trackers.Length && string.Equals(_trackers[hint].RuleId, ruleId, StringComparison.Ordinal))
        {
            return hint;
        }

        for (var i = 0; i < _trackers.Length; i++)
        {
            if (string.Equals(_trackers[i].RuleId, ruleId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Stores a rule's tracker back, adding a slot only when there is something to remember.</summary>
    private void Keep(int slot, string ruleId, Tracker tracker)
    {
        if (slot >= 0)
        {
            _trackers[slot] = tracker;
        }
        else if (!tracker.IsEmpty)
        {
            tracker.RuleId = ruleId;
            var grown = new Tracker[_trackers.Length + 1];
            _trackers.CopyTo(grown, 0);
            grown[^1] = tracker;
            _trackers = grown;
        }
    }

    /// <summary>Whether the rule's raise and clear conditions hold now; null when the data cannot tell.</summary>
    private static Reading? Condition(AlertRule rule, ref Tracker tracker, SensorState sensor, IAqiSource aqi, DateTimeOffset now)
    {
        switch (rule.Kind)
        {
            case AlertRuleKind.AqiAtLeast:
                var overall = aqi.Overall(rule.Standard, now);
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

                var at = value.Timestamp.UtcTicks;
                if (tracker.StuckAt == 0 || at > tracker.StuckAt)
                {
                    tracker.StuckRepeats = tracker.StuckAt != 0 && value.Value.Equals(tracker.StuckValue) ? tracker.StuckRepeats + 1 : 1;
                    tracker.StuckValue = value.Value;
                    tracker.StuckAt = at;
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
        var latest = sensor.Latest;
        for (var i = 0; i < latest.Count; i++)
        {
            if (latest[i].Quantity.Kind == kind)
            {
                return latest[i];
            }
        }

        return null;
    }

    /// <summary>Moves the rule's alert on by its conditions; the transition, if any.</summary>
    private AlertTransition? Step(AlertRule rule, ref Tracker tracker, Reading condition, DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (tracker.Open is null)
        {
            if (!condition.Raise)
            {
                tracker.PendingSince = 0;
                return null;
            }

            if (tracker.PendingSince == 0)
            {
                tracker.PendingSince = ticks;
            }

            if (ticks - tracker.PendingSince < rule.SustainFor.Ticks)
            {
                return null;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{SensorId}/{rule.Id}/{ticks}");
            tracker.Open = new Alert(id, SensorId, rule.Id, rule.Severity, AlertState.Active, now, null, null, condition.Value, Describe(rule, condition));
            tracker.LastNotifiedAt = ticks;
            tracker.PendingSince = 0;
            return new AlertTransition(AlertTransitionKind.Raised, tracker.Open, now);
        }

        if (condition.Clear)
        {
            var cleared = tracker.Open with { State = AlertState.Cleared, ClearedAt = now };
            tracker.Open = null;
            tracker.PendingSince = 0;
            return new AlertTransition(AlertTransitionKind.Cleared, cleared, now);
        }

        if (tracker.Open.State == AlertState.Active && rule.RenotifyEvery > TimeSpan.Zero && ticks - tracker.LastNotifiedAt >= rule.RenotifyEvery.Ticks)
        {
            tracker.Open = tracker.Open with { TriggerValue = condition.Value, Message = Describe(rule, condition) };
            tracker.LastNotifiedAt = ticks;
            return new AlertTransition(AlertTransitionKind.Renotified, tracker.Open, now);
        }

        return null;
    }

    /// <summary>A rule's conditions at one moment: raise, clear (hysteresis: both can be false), the value, and what the words need.</summary>
    private readonly record struct Reading(bool Raise, bool Clear, double? Value)
    {
        public OverallAqi Aqi { get; init; }

        public DateTimeOffset? LastSeen { get; init; }

        public int Repeats { get; init; }
    }

    /// <summary>What one rule remembers between evaluations. Times are UTC ticks, 0 for none.</summary>
    private struct Tracker
    {
        public string RuleId;
        public Alert? Open;
        public long PendingSince;
        public long LastNotifiedAt;
        public long StuckAt;
        public double StuckValue;
        public int StuckRepeats;

        public readonly bool IsEmpty => Open is null && PendingSince == 0 && StuckAt == 0;
    }
}
