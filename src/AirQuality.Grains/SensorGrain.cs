using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Alerts;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Sensors;
using AirQuality.Grains.Alerts;
using AirQuality.Grains.Hosting;
using AirQuality.Grains.Index;
using AirQuality.Grains.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Grains;

/// <summary>
/// One sensor: applies its readings to its <see cref="SensorState"/>, answers queries about it, and
/// persists it (write-behind, and always on deactivation).
/// </summary>
[GrainType("sensor")]
public sealed partial class SensorGrain : WriteBehindGrain, ISensorGrain, IAqiSource
{
    private readonly IPersistentState<SensorGrainState> _stored;
    private readonly SensorGrainOptions _options;
    private readonly SensorStateSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<SensorGrain> _logger;
    private readonly AlertOptions _alertOptions;
    private readonly AlertPublisher _publisher;
    private SensorState _state = null!;
    private AlertBook _alerts = null!;
    private LiveWatchers? _watchers; // only while a gateway watches this sensor

    // What the index last heard from this activation, and what it may hold from before it (a sensor that
    // moved must leave its old tile).
    private SensorSummary? _indexed;
    private SensorSummary? _restored;
    private long _indexCheckedAt; // UTC ticks
    private IReadOnlyList<AlertRule>? _rules;
    private string? _rulesCountry;
    private long _checkScheduledFor; // UTC ticks of the alert check this activation asked for; 0: none
    // The overall AQI under each standard for alert rules (see IAqiSource.Overall), inline: an array would
    // cost every sensor its header and nullable wrappers.
    private OverallAqi _aqiUs;
    private OverallAqi _aqiUk;
    private OverallAqi _aqiEu;
    private byte _aqiCached; // bit per standard
    private long _aqiCachedAt;

    private static readonly TimeSpan AqiCacheInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long an unknown sensor's activation outlives its last call (see EndIfUnknown).</summary>
    private static readonly TimeSpan UnknownGrace = TimeSpan.FromSeconds(2);
    private IGrainTimer? _endTimer;

    /// <summary>
    /// How often a reporting sensor re-checks its index summary (which costs an AQI under every standard).
    /// A move is indexed at once; AQI and last-seen changes may reach the index up to this much later.
    /// </summary>
    private static readonly TimeSpan IndexCheckInterval = TimeSpan.FromMinutes(1);

    public SensorGrain(
        [PersistentState("sensor", AirQualityStorage.Sensors)] IPersistentState<SensorGrainState> stored,
        IOptions<SensorGrainOptions> options,
        IOptions<AlertOptions> alertOptions,
        AlertPublisher publisher,
        TimeProvider time,
        ILogger<SensorGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(alertOptions);
        _alertOptions = alertOptions.Value;
        _publisher = publisher;
        _stored = stored;
        _options = options.Value;
        _settings = _options.Settings;
        _time = time;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKeyString();
        if (SensorId.Problem(id) is { } problem)
        {
            // Callers validate first; this is the last line against unbounded, attacker-chosen activations.
            throw new ArgumentException($"Not a sensor id: {problem}");
        }

        _state = _stored.State.Snapshot is { } snapshot
            ? SensorState.FromSnapshot(snapshot, _settings)
            : new SensorState(id, _settings);

        _alerts = _stored.State.Alerts is { Length: > 0 } alerts
            ? ReadAlerts(alerts, id)
            : new AlertBook(id);

        if (_state.Location is not null)
        {
            _restored = SensorIndexUpdate.SummaryOf(SensorViews.Of(_state, _time.GetUtcNow(), _options.StaleAfter));
        }

        // The live state is the domain object; holding its serialized copy too would double each sensor's memory.
        _stored.State.Snapshot = null;
        _stored.State.Alerts = null;
        return Task.CompletedTask;
    }

    public async Task<IngestResult> Ingest(IReadOnlyList<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var applied = default(ApplyResult);
        int refused = 0, duplicateReadings = 0, tooOldReadings = 0;
        foreach (var reading in readings)
        {
            if (!string.Equals(reading.SensorId, _state.SensorId, StringComparison.Ordinal))
            {
                refused++;
                continue;
            }

            var one = _state.Apply(reading);
            applied += one;
            if (one.Added == 0)
            {
                // A reading that changed nothing: known already (a replay), or older than the state keeps.
                if (one.Duplicates > 0)
                {
                    duplicateReadings++;
                }
                else if (one.TooOld > 0)
                {
                    tooOldReadings++;
                }
            }
        }

        if (refused > 0)
        {
            LogRefused(refused, _state.SensorId);
        }

        if (!applied.Changed)
        {
            _ = EndIfUnknown(); // readings older than any state kept, for a sensor that has none: nothing to hold
        }

        if (applied.Changed)
        {
            await EvaluateAlertsAsync();
            await UpdateIndexAsync();
            await ChangedAsync();
            NotifyWatchers();
        }

        return new IngestResult(applied.Added, applied.Duplicates, applied.TooOld, refused, duplicateReadings, tooOldReadings);
    }

    public Task Persist()
    {
        _ = EndIfUnknown();
        return WriteIfChangedAsync();
    }

    public Task<bool> IsKnown() => Task.FromResult(!EndIfUnknown());

    public async Task<SensorView> GetView()
    {
        if (EndIfUnknown())
        {
            return SensorViews.Of(_state, _time.GetUtcNow(), _options.StaleAfter);
        }

        // Time-based rules (offline) change with the clock, not with readings: look again on every read.
        await EvaluateAlertsAndNotifyAsync();
        return SensorViews.Of(_state, _time.GetUtcNow(), _options.StaleAfter);
    }

    public async Task<IReadOnlyList<AlertView>> GetOpenAlerts()
    {
        if (EndIfUnknown())
        {
            return [];
        }

        await EvaluateAlertsAndNotifyAsync();
        return _alerts.Open.Select(SensorViews.Of).ToArray();
    }

    /// <summary>
    /// True for a sensor nobody registered and that never took a reading (nothing stored, nothing held): its
    /// activation is ended shortly after (<see cref="UnknownGrace"/>), so reads of random ids (a typo, a probe,
    /// an attacker's sweep) cost one storage read each and no lasting memory. Not at once: calls already queued
    /// for the id (a burst of lookups) would each be forwarded to a new activation that ends again. A watched
    /// sensor stays: its watcher waits for its first reading.
    /// </summary>
    private bool EndIfUnknown()
    {
        if (_stored.RecordExists || _state.FirstSeen is not null || _watchers is not null)
        {
            return false;
        }

        _endTimer ??= this.RegisterGrainTimer(
            static (grain, _) =>
            {
                grain._endTimer?.Dispose();
                grain._endTimer = null;
                if (!grain._stored.RecordExists && grain._state.FirstSeen is null && grain._watchers is null)
                {
                    grain.DeactivateOnIdle();
                }

                return Task.CompletedTask;
            },
            this,
            new GrainTimerCreationOptions(UnknownGrace, Timeout.InfiniteTimeSpan));
        return true;
    }

    public Task CheckAlerts()
    {
        _checkScheduledFor = 0; // the check asked for is this one
        return EvaluateAlertsAndNotifyAsync();
    }

    public async Task<AlertView?> AcknowledgeAlert(string alertId, string? note)
    {
        if (note is { Length: > 1000 })
        {
            throw new ArgumentException("An acknowledgement note is at most 1000 characters.");
        }

        if (_alerts.Acknowledge(alertId, note, _time.GetUtcNow()) is not { } transition)
        {
            return null;
        }

        await PublishAsync([transition]);
        await WriteNowAsync(); // an acknowledgement is a person's action: never leave it to write-behind
        NotifyWatchers();
        return SensorViews.Of(transition.Alert);
    }

    public async Task<SensorView> Register(SensorRegistration registration)
    {
        SensorRegistrations.Apply(_state, registration);
        await EvaluateAlertsAsync(); // a new country may bring other rules
        await UpdateIndexAsync(force: true);
        await WriteNowAsync(); // a person's action: never left to write-behind
        NotifyWatchers();
        return SensorViews.Of(_state, _time.GetUtcNow(), _options.StaleAfter);
    }

    public Task<IReadOnlyList<AggregateView>> GetHistory(string quantity, DateTimeOffset periodStart, DateTimeOffset periodEnd, HistoryInterval interval)
    {
        _ = EndIfUnknown();
        if (periodEnd <= periodStart || periodEnd - periodStart > _options.MaxHistoryRange)
        {
            throw new ArgumentException($"The history range must be positive and at most {_options.MaxHistoryRange.TotalDays:0} days.");
        }

        if (!Quantity.TryParse(quantity, out var q) || _state.History(q.Kind) is not { } history || !q.IsKnown)
        {
            return Task.FromResult<IReadOnlyList<AggregateView>>([]);
        }

        IReadOnlyList<AggregateView> result = interval == HistoryInterval.Hour
            ? history.HoursBetween(periodStart, periodEnd).Select(h => SensorViews.Of(q.Name, h)).ToArray()
            : history.DaysBetween(periodStart, periodEnd).Select(d => SensorViews.Of(q.Name, d)).ToArray();
        return Task.FromResult(result);
    }

    public Task Watch(ILiveFeedObserver observer)
    {
        (_watchers ??= new LiveWatchers()).Watch(observer, _time.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <summary>Sends the new view to the gateways watching this sensor; a view is built only when one does.</summary>
    private void NotifyWatchers()
    {
        if (_watchers is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        _watchers.Send(SensorViews.Of(_state, now, _options.StaleAfter), now);
        if (_watchers.Count == 0)
        {
            _watchers = null; // every lease ran out
        }
    }

    /// <summary>
    /// Tells the spatial index, when the summary changed enough to matter (see SensorIndexUpdate.NeedsUpdate).
    /// <paramref name="force"/> skips the once-a-minute wait (a registration may change only country or indoor).
    /// </summary>
    private async Task UpdateIndexAsync(bool force = false)
    {
        var now = _time.GetUtcNow();
        var location = _state.Location;
        if (location is null && _indexed is null && _restored is null)
        {
            return; // nothing to index, nothing to take out
        }

        var moved = _indexed is null || location is null
            || location.Latitude != _indexed.Latitude || location.Longitude != _indexed.Longitude;
        if (!moved && !force && now.UtcTicks - _indexCheckedAt < IndexCheckInterval.Ticks)
        {
            return;
        }

        _indexCheckedAt = now.UtcTicks;
        var current = SensorIndexUpdate.SummaryOf(SensorViews.Of(_state, now, _options.StaleAfter));
        if (_indexed is not null && !SensorIndexUpdate.NeedsUpdate(_indexed, current))
        {
            return;
        }

        await SensorIndexUpdate.ApplyAsync(GrainFactory, _indexed ?? _restored, current);
        _indexed = current;
        _restored = null;
    }

    /// <summary>Evaluates the rules and, when an alert changed, tells the watchers (once for the call).</summary>
    private async Task EvaluateAlertsAndNotifyAsync()
    {
        if (await EvaluateAlertsAsync())
        {
            NotifyWatchers();
        }
    }

    /// <summary>Evaluates the alert rules now; true when an alert changed (published and marked for writing).</summary>
    private async Task<bool> EvaluateAlertsAsync()
    {
        var now = _time.GetUtcNow();
        // Resolved once per country the sensor is in (overrides are per country and per sensor).
        var country = _state.Location?.Country;
        if (_rules is null || !string.Equals(_rulesCountry, country, StringComparison.Ordinal))
        {
            _rules = _alertOptions.RulesFor(_state.SensorId, country);
            _rulesCountry = country;
        }

        var rules = _rules;
        if (rules.Count == 0)
        {
            return false;
        }

        var transitions = _alerts.Evaluate(rules, _state, this, now);
        if (transitions.Count > 0)
        {
            await PublishAsync(transitions);
            await ChangedAsync();
        }

        await ScheduleCheckAsync(rules);
        return transitions.Count > 0;
    }

    /// <summary>
    /// Asks the alert clock for a check when a rule could change with no reading (a sensor going silent
    /// has nobody to call its grain). Asked once: a later reading only moves the moment later, and the
    /// check that comes too early asks again for the new one. So a reporting sensor costs one check per
    /// offline period (2 h by default), not one per reading.
    /// </summary>
    private async Task ScheduleCheckAsync(IReadOnlyList<AlertRule> rules)
    {
        if (_alerts.NextDue(rules, _state) is not { } due || (_checkScheduledFor != 0 && due.UtcTicks >= _checkScheduledFor))
        {
            return;
        }

        // The minute after the moment: a check never comes before it is due.
        var minute = (due.ToUnixTimeMilliseconds() + 59_999) / 60_000;
        await GrainFactory.GetGrain<IAlertDueGrain>(minute).Add(_state.SensorId);
        _checkScheduledFor = due.UtcTicks;
    }

    /// <summary>
    /// The overall AQI for alert rules, computed at most once a minute per standard. These indices are built
    /// from hourly means and rules sustain for minutes, so a fresher value changes nothing, while computing
    /// it on every reading halved the engine's throughput (measured: 287 k -> 147 k readings/s).
    /// </summary>
    OverallAqi IAqiSource.Overall(AqiStandardId standard, DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (ticks - _aqiCachedAt >= AqiCacheInterval.Ticks || ticks < _aqiCachedAt)
        {
            _aqiCached = 0;
            _aqiCachedAt = ticks;
        }

        ref var cached = ref CachedAqi(standard);
        var bit = (byte)(1 << (int)standard);
        if ((_aqiCached & bit) == 0)
        {
            cached = _state.ComputeAqi(AqiStandard.Get(standard), now).Overall;
            _aqiCached |= bit;
        }

        return cached;
    }

    private ref OverallAqi CachedAqi(AqiStandardId standard)
    {
        if (standard == AqiStandardId.UsEpa2024)
        {
            return ref _aqiUs;
        }

        if (standard == AqiStandardId.UkDaqi)
        {
            return ref _aqiUk;
        }

        return ref _aqiEu;
    }

    private Task PublishAsync(IReadOnlyList<AlertTransition> transitions) => _publisher.PublishAsync(transitions);

    private static AlertBook ReadAlerts(byte[] snapshot, string sensorId)
    {
        using var reader = new BinaryReader(new MemoryStream(snapshot));
        return AlertBook.ReadFrom(reader, sensorId);
    }

    protected override TimeSpan PersistInterval => _options.PersistInterval;

    protected override bool SpreadWrites => true;

    protected override async Task WriteStateAsync()
    {
        _stored.State.Snapshot = _state.ToSnapshot();
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer))
            {
                _alerts.WriteTo(writer);
            }

            _stored.State.Alerts = buffer.ToArray();
        }

        try
        {
            await _stored.WriteStateAsync();
        }
        finally
        {
            _stored.State.Snapshot = null;
            _stored.State.Alerts = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} readings addressed to another sensor than {SensorId}")]
    private partial void LogRefused(int count, string sensorId);
}
