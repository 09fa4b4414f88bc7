using AirQuality.Domain.Alerts;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Sensors;

namespace AirQuality.Domain.Tests.Alerts;

public class AlertBookTests : IAqiSource
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly SensorState _sensor = new("s1");
    private readonly AlertBook _book = new("s1");
    private int _index;

    private static readonly AlertRule Unhealthy =
        AlertRule.AqiAtLeast("us-unhealthy", AqiStandardId.UsEpa2024, level: 151, clearLevel: 140, sustainFor: TimeSpan.FromMinutes(30), renotifyEvery: TimeSpan.FromHours(2));

    [Fact]
    public void Raises_only_after_the_condition_is_sustained()
    {
        _index = 160;
        Assert.Empty(Evaluate(Unhealthy, T0));
        Assert.Empty(Evaluate(Unhealthy, T0.AddMinutes(29)));
        var raised = Assert.Single(Evaluate(Unhealthy, T0.AddMinutes(30)));

        Assert.Equal(AlertTransitionKind.Raised, raised.Kind);
        Assert.Equal(AlertState.Active, raised.Alert.State);
        Assert.Equal(160, raised.Alert.TriggerValue);
        Assert.Equal(T0.AddMinutes(30), raised.Alert.RaisedAt);
        Assert.Contains("us-epa-2024 index 160", raised.Alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dip_below_the_level_restarts_the_sustain_period()
    {
        _index = 160;
        Evaluate(Unhealthy, T0);
        _index = 150;
        Evaluate(Unhealthy, T0.AddMinutes(20));
        _index = 160;
        Assert.Empty(Evaluate(Unhealthy, T0.AddMinutes(40)));
        Assert.Single(Evaluate(Unhealthy, T0.AddMinutes(70)));
    }

    [Fact]
    public void Hysteresis_keeps_the_alert_open_until_the_clear_level()
    {
        _index = 160;
        Evaluate(Unhealthy, T0);
        Evaluate(Unhealthy, T0.AddMinutes(30));

        _index = 145; // below the raise level, above the clear level: no flapping
        Assert.Empty(Evaluate(Unhealthy, T0.AddMinutes(31)));
        Assert.Single(_book.Open);

        _index = 140;
        var cleared = Assert.Single(Evaluate(Unhealthy, T0.AddMinutes(32)));
        Assert.Equal(AlertTransitionKind.Cleared, cleared.Kind);
        Assert.Equal(AlertState.Cleared, cleared.Alert.State);
        Assert.Equal(T0.AddMinutes(32), cleared.Alert.ClearedAt);
        Assert.Empty(_book.Open);
    }

    [Fact]
    public void At_most_one_open_alert_per_rule_and_renotify_after_the_interval()
    {
        _index = 200;
        Evaluate(Unhealthy, T0);
        Evaluate(Unhealthy, T0.AddMinutes(30));
        for (var m = 31; m < 150; m += 10)
        {
            Assert.Empty(Evaluate(Unhealthy, T0.AddMinutes(m)));
        }

        var again = Assert.Single(Evaluate(Unhealthy, T0.AddMinutes(150)));
        Assert.Equal(AlertTransitionKind.Renotified, again.Kind);
        Assert.Single(_book.Open);
        Assert.Empty(Evaluate(Unhealthy, T0.AddMinutes(151)));
    }

    [Fact]
    public void Acknowledged_alerts_are_not_renotified_and_still_clear()
    {
        _index = 200;
        Evaluate(Unhealthy, T0);
        var raised = Evaluate(Unhealthy, T0.AddMinutes(30)).Single().Alert;

        var ack = _book.Acknowledge(raised.Id, "on it", T0.AddMinutes(40));
        Assert.NotNull(ack);
        Assert.Equal(AlertState.Acknowledged, ack.Alert.State);
        Assert.Equal("on it", ack.Alert.AcknowledgeNote);
        Assert.Null(_book.Acknowledge(raised.Id, null, T0.AddMinutes(41))); // once
        Assert.Null(_book.Acknowledge("no-such-alert", null, T0.AddMinutes(41)));

        Assert.Empty(Evaluate(Unhealthy, T0.AddHours(5)));
        _index = 10;
        Assert.Equal(AlertTransitionKind.Cleared, Evaluate(Unhealthy, T0.AddHours(6)).Single().Kind);
    }

    [Fact]
    public void Insufficient_data_neither_raises_nor_clears()
    {
        _index = 200;
        Evaluate(Unhealthy, T0);
        Evaluate(Unhealthy, T0.AddMinutes(30));
        _index = -1; // no index
        Assert.Empty(Evaluate(Unhealthy, T0.AddHours(1)));
        Assert.Single(_book.Open);
    }

    [Fact]
    public void Threshold_rules_use_the_latest_value_with_their_own_clear_value()
    {
        var rule = AlertRule.Above("pm10-high", QuantityKind.Pm10, threshold: 100, clearThreshold: 80, TimeSpan.Zero, TimeSpan.Zero);
        Apply(T0, Quantity.Pm10, 120);
        Assert.Equal(AlertTransitionKind.Raised, Evaluate(rule, T0).Single().Kind);
        Apply(T0.AddMinutes(5), Quantity.Pm10, 90);
        Assert.Empty(Evaluate(rule, T0.AddMinutes(5)));
        Apply(T0.AddMinutes(10), Quantity.Pm10, 80);
        Assert.Equal(AlertTransitionKind.Cleared, Evaluate(rule, T0.AddMinutes(10)).Single().Kind);

        var cold = AlertRule.Below("freezing", QuantityKind.Temperature, threshold: 0, clearThreshold: 2, TimeSpan.Zero, TimeSpan.Zero);
        Apply(T0, Quantity.Temperature, -3);
        Assert.Contains("below 0", Evaluate(cold, T0).Single().Alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_rule_raises_after_the_silence_and_clears_on_the_next_reading()
    {
        var rule = AlertRule.Offline("offline", TimeSpan.FromMinutes(30), TimeSpan.Zero);
        Assert.Empty(Evaluate(rule, T0)); // never seen is not offline
        Apply(T0, Quantity.Pm25, 5);
        Assert.Empty(Evaluate(rule, T0.AddMinutes(30)));
        Assert.Equal(AlertTransitionKind.Raised, Evaluate(rule, T0.AddMinutes(31)).Single().Kind);
        Apply(T0.AddMinutes(40), Quantity.Pm25, 5);
        Assert.Equal(AlertTransitionKind.Cleared, Evaluate(rule, T0.AddMinutes(40)).Single().Kind);
    }

    [Fact]
    public void Stuck_rule_counts_equal_values_in_a_row()
    {
        var rule = AlertRule.Stuck("stuck", QuantityKind.Pm25, count: 4, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            Apply(T0.AddMinutes(i), Quantity.Pm25, 12.3);
            Assert.Empty(Evaluate(rule, T0.AddMinutes(i)));
        }

        Apply(T0.AddMinutes(3), Quantity.Pm25, 12.3);
        Assert.Contains("4 times", Evaluate(rule, T0.AddMinutes(3)).Single().Alert.Message, StringComparison.Ordinal);
        Assert.Empty(Evaluate(rule, T0.AddMinutes(3).AddSeconds(30))); // no new reading: not counted again
        Apply(T0.AddMinutes(4), Quantity.Pm25, 12.4);
        Assert.Equal(AlertTransitionKind.Cleared, Evaluate(rule, T0.AddMinutes(4)).Single().Kind);
    }

    [Fact]
    public void Open_alerts_survive_a_snapshot()
    {
        _index = 200;
        Evaluate(Unhealthy, T0);
        var raised = Evaluate(Unhealthy, T0.AddMinutes(30)).Single().Alert;
        _book.Acknowledge(raised.Id, "note", T0.AddMinutes(31));

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            _book.WriteTo(writer);
        }

        buffer.Position = 0;
        var restored = AlertBook.ReadFrom(new BinaryReader(buffer), "s1");
        Assert.Equal(_book.Open, restored.Open);
        _index = 0;
        Assert.Equal(AlertTransitionKind.Cleared, restored.Evaluate([Unhealthy], _sensor, this, T0.AddHours(1)).Single().Kind);
    }

    [Fact]
    public void Next_due_is_the_offline_deadline_then_the_end_of_a_sustain_then_the_renotify_time()
    {
        var offline = AlertRule.Offline("offline", TimeSpan.FromHours(2), TimeSpan.Zero);
        Assert.Null(_book.NextDue([offline], _sensor)); // never seen: only a reading can change anything

        Apply(T0, Quantity.Pm25, 10);
        Assert.Equal(T0.AddHours(2).AddTicks(1), _book.NextDue([offline], _sensor));

        _index = 160; // pending from T0: due when the 30-minute sustain ends
        Evaluate(Unhealthy, T0);
        Assert.Equal(T0.AddMinutes(30), _book.NextDue([Unhealthy, offline], _sensor));

        Evaluate(Unhealthy, T0.AddMinutes(30)); // raised: due again when it is re-notified (2 h)
        Assert.Equal(T0.AddMinutes(150), _book.NextDue([Unhealthy], _sensor));

        var alert = _book.Open.Single();
        _book.Acknowledge(alert.Id, null, T0.AddMinutes(31)); // acknowledged alerts are not re-notified
        Assert.Null(_book.NextDue([Unhealthy], _sensor));
    }

    [Fact]
    public void A_rule_with_nothing_to_remember_keeps_no_state()
    {
        _index = 20; // far below the raise level: nothing pending, nothing open
        Assert.Empty(Evaluate(Unhealthy, T0));
        Assert.Equal(2, Snapshot(_book).Length); // just the tracker count, zero

        _index = 160; // pending now: remembered, and kept across a snapshot
        Assert.Empty(Evaluate(Unhealthy, T0.AddMinutes(1)));
        var restored = AlertBook.ReadFrom(new BinaryReader(new MemoryStream(Snapshot(_book))), "s1");
        Assert.Single(restored.Evaluate([Unhealthy], _sensor, this, T0.AddMinutes(31)));
    }

    private static byte[] Snapshot(AlertBook book)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            book.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Overrides_replace_or_disable_rules_by_id_area_then_sensor()
    {
        var defaults = new[] { Unhealthy, AlertRule.Offline("offline", TimeSpan.FromHours(1), TimeSpan.Zero) };
        var area = new[] { Unhealthy with { Level = 101, ClearLevel = 90 } };
        var sensor = new[] { AlertRule.Offline("offline", TimeSpan.FromHours(1), TimeSpan.Zero) with { Enabled = false } };

        var rules = AlertRuleSet.Resolve(defaults, area, sensor);
        var only = Assert.Single(rules);
        Assert.Equal(101, only.Level);
    }

    [Theory]
    [InlineData(151, 151)]
    [InlineData(151, 160)]
    [InlineData(0, 0)]
    public void Aqi_rules_without_hysteresis_are_refused(int level, int clear) =>
        Assert.NotEmpty((Unhealthy with { Level = level, ClearLevel = clear }).Problems());

    [Fact]
    public void Well_formed_rules_have_no_problems()
    {
        Assert.Empty(Unhealthy.Problems());
        Assert.NotEmpty(AlertRule.Above("x", QuantityKind.Pm10, 100, 120, TimeSpan.Zero, TimeSpan.Zero).Problems());
        Assert.NotEmpty(AlertRule.Stuck("x", QuantityKind.Pm10, 1, TimeSpan.Zero).Problems());
        Assert.NotEmpty((Unhealthy with { Severity = "meh" }).Problems());
    }

    private IReadOnlyList<AlertTransition> Evaluate(AlertRule rule, DateTimeOffset now) => _book.Evaluate([rule], _sensor, this, now);

    public OverallAqi Overall(AqiStandardId standard, DateTimeOffset now) => _index < 0
        ? new OverallAqi(standard, AqiStatus.InsufficientData, 0, null, null)
        : new OverallAqi(standard, AqiStatus.Ok, _index, AqiStandard.Get(standard).CategoryOf(_index), Pollutant.Pm25);

    private void Apply(DateTimeOffset at, Quantity quantity, double value) =>
        _sensor.Apply(new Reading("s1", at, [new Measurement(quantity, value)]));
}
