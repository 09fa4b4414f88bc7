using System.Text;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Windows;

namespace AirQuality.Domain.Sensors;

/// <summary>
/// Everything one sensor's grain knows: metadata, the latest value of each quantity, the hourly/daily
/// history of each known quantity, and from those its status and AQI. Pure and single-threaded: the grain
/// owns one instance and persists it as a compact binary snapshot (<see cref="WriteTo"/>).
/// </summary>
public sealed class SensorState
{
    /// <summary>Unknown quantities keep only their latest value; this bounds how many a sensor may have.</summary>
    public const int MaxLatestValues = 32;

    // Version 2 added the name (at the end, so a version 1 snapshot is a version 2 one without it).
    private const byte SnapshotVersion = 2;

    // Exactly sized: most sensors have 2-6 quantities, and a list's spare capacity is memory every sensor pays.
    private LatestValue[] _latest = [];
    // Only the quantities that have history, in kind order: most sensors have two (PM2.5, PM10), and a
    // slot for every kind would be 72 bytes more per sensor.
    private (QuantityKind Kind, QuantityHistory History)[] _histories = [];
    // UTC ticks, 0 for none: half the size of two nullable DateTimeOffsets.
    private long _firstSeen;
    private long _lastSeen;
    private readonly SensorStateSettings _settings;

    public SensorState(string sensorId, SensorStateSettings? settings = null)
    {
        SensorId = sensorId;
        _settings = settings ?? SensorStateSettings.Default;
    }

    public string SensorId { get; }

    /// <summary>
    /// Where the sensor stands. The newest reading that carries a location sets it, and so does a
    /// registration (whichever came last wins); readings without one keep it. So a registered location
    /// serves devices that never send theirs, and a device that does send one moves itself.
    /// </summary>
    public SensorLocation? Location { get; set; }

    public string? SensorType { get; set; }

    /// <summary>
    /// A name a person registered (at most <see cref="MaxNameLength"/> characters); null for most sensors,
    /// which then pay only for the reference.
    /// </summary>
    public string? Name { get; set; }

    public const int MaxNameLength = 100;

    /// <summary>Timestamp of the earliest reading accepted; null before the first.</summary>
    public DateTimeOffset? FirstSeen
    {
        get => _firstSeen == 0 ? null : new DateTimeOffset(_firstSeen, TimeSpan.Zero);
        private set => _firstSeen = value?.UtcTicks ?? 0;
    }

    /// <summary>Timestamp of the latest reading accepted; null before the first.</summary>
    public DateTimeOffset? LastSeen
    {
        get => _lastSeen == 0 ? null : new DateTimeOffset(_lastSeen, TimeSpan.Zero);
        private set => _lastSeen = value?.UtcTicks ?? 0;
    }

    public IReadOnlyList<LatestValue> Latest => _latest;

    public QuantityHistory? History(QuantityKind kind)
    {
        foreach (var (k, history) in _histories)
        {
            if (k == kind)
            {
                return history;
            }
        }

        return null;
    }

    public IEnumerable<QuantityKind> QuantitiesWithHistory =>
        _histories.Select(h => h.Kind);

    public SensorStatus Status(DateTimeOffset now, TimeSpan staleAfter) =>
        LastSeen is not { } last ? SensorStatus.NeverSeen
        : now - last > staleAfter ? SensorStatus.Stale
        : SensorStatus.Online;

    /// <summary>
    /// Applies one reading: values go into their hour (once per minute per quantity, so a replay changes
    /// nothing), the latest values and metadata move forward only with newer timestamps.
    /// </summary>
    public ApplyResult Apply(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        int added = 0, duplicates = 0, tooOld = 0;
        foreach (var m in reading.Values)
        {
            // Quantities with history go through it, and it decides; the others keep only the latest value.
            var keepsHistory = _settings.KeepsHistory(m.Quantity.Kind);
            var outcome = keepsHistory
                ? HistoryOf(m.Quantity.Kind).Add(reading.Timestamp, m.Value)
                : UpdateLatest(m, reading.Timestamp) ? AddOutcome.Added : AddOutcome.Duplicate;
            switch (outcome)
            {
                case AddOutcome.Added:
                    added++;
                    if (keepsHistory)
                    {
                        UpdateLatest(m, reading.Timestamp);
                    }

                    break;
                case AddOutcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    tooOld++;
                    break;
            }
        }

        if (added > 0)
        {
            var at = reading.Timestamp.UtcTicks;
            if (_lastSeen == 0 || at > _lastSeen)
            {
                _lastSeen = at;
                Location = reading.Location ?? Location;
                SensorType = reading.SensorType ?? SensorType;
            }

            if (_firstSeen == 0 || at < _firstSeen)
            {
                _firstSeen = at;
            }

            Location ??= reading.Location;
            SensorType ??= reading.SensorType;
        }

        return new ApplyResult(added, duplicates, tooOld);
    }

    public SensorAqi ComputeAqi(AqiStandard standard, DateTimeOffset now) =>
        SensorAqiCalculator.Compute(standard, History, now);

    /// <summary>A versioned binary snapshot of the whole state (a few KB): what the grain persists.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(SnapshotVersion);
        writer.Write(SensorId);
        WriteOptional(writer, SensorType);
        writer.Write(Location is not null);
        if (Location is { } l)
        {
            writer.Write(l.Latitude);
            writer.Write(l.Longitude);
            writer.Write(l.Altitude ?? double.NaN);
            WriteOptional(writer, l.Country);
            writer.Write((sbyte)(l.Indoor is { } indoor ? (indoor ? 1 : 0) : -1));
        }

        writer.Write(_firstSeen);
        writer.Write(_lastSeen);
        writer.Write((byte)_latest.Length);
        foreach (var latest in _latest)
        {
            writer.Write(latest.Quantity.Name);
            writer.Write(latest.Value);
            writer.Write(latest.Timestamp.UtcTicks);
        }

        writer.Write((byte)_histories.Length);
        foreach (var (kind, history) in _histories)
        {
            writer.Write((byte)kind);
            history.WriteTo(writer);
        }

        WriteOptional(writer, Name);
    }

    public static SensorState ReadFrom(BinaryReader reader, SensorStateSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadByte();
        if (version is not (1 or SnapshotVersion))
        {
            throw new InvalidDataException($"Sensor snapshot version {version} is not supported (expected 1 to {SnapshotVersion}).");
        }

        settings ??= SensorStateSettings.Default;
        var state = new SensorState(reader.ReadString(), settings) { SensorType = ReadOptional(reader) };
        if (reader.ReadBoolean())
        {
            var latitude = reader.ReadDouble();
            var longitude = reader.ReadDouble();
            var altitude = reader.ReadDouble();
            var country = ReadOptional(reader);
            var indoor = reader.ReadSByte();
            state.Location = new SensorLocation(latitude, longitude, double.IsNaN(altitude) ? null : altitude, country,
                indoor < 0 ? null : indoor == 1);
        }

        state._firstSeen = reader.ReadInt64();
        state._lastSeen = reader.ReadInt64();
        var latestCount = reader.ReadByte();
        for (var i = 0; i < latestCount; i++)
        {
            var quantity = Quantity.Parse(reader.ReadString());
            state.AppendLatest(new LatestValue(quantity, reader.ReadDouble(), new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero)));
        }

        var historyCount = reader.ReadByte();
        for (var i = 0; i < historyCount; i++)
        {
            var kind = (QuantityKind)reader.ReadByte();
            var history = new QuantityHistory(settings.Hours, settings.Days);
            history.ReadFrom(reader);
            if (settings.KeepsHistory(kind) && state.History(kind) is null)
            {
                state.AddHistory(kind, history);
            }
        }

        if (version >= 2)
        {
            state.Name = ReadOptional(reader);
        }

        return state;
    }

    public byte[] ToSnapshot()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            WriteTo(writer);
        }

        return buffer.ToArray();
    }

    public static SensorState FromSnapshot(ReadOnlySpan<byte> snapshot, SensorStateSettings? settings = null)
    {
        using var buffer = new MemoryStream(snapshot.ToArray());
        using var reader = new BinaryReader(buffer, Encoding.UTF8);
        return ReadFrom(reader, settings);
    }

    private QuantityHistory HistoryOf(QuantityKind kind) =>
        History(kind) ?? AddHistory(kind, new QuantityHistory(_settings.Hours, _settings.Days));

    /// <summary>Adds a quantity's history in kind order (rare: once per quantity per sensor), exactly sized.</summary>
    private QuantityHistory AddHistory(QuantityKind kind, QuantityHistory history)
    {
        var position = 0;
        while (position < _histories.Length && _histories[position].Kind < kind)
        {
            position++;
        }

        var grown = new (QuantityKind, QuantityHistory)[_histories.Length + 1];
        Array.Copy(_histories, grown, position);
        grown[position] = (kind, history);
        Array.Copy(_histories, position, grown, position + 1, _histories.Length - position);
        _histories = grown;
        return history;
    }

    /// <summary>Moves the latest value of a quantity forward; true when it changed.</summary>
    private bool UpdateLatest(Measurement m, DateTimeOffset timestamp)
    {
        for (var i = 0; i < _latest.Length; i++)
        {
            if (_latest[i].Quantity == m.Quantity)
            {
                if (timestamp <= _latest[i].Timestamp)
                {
                    return false;
                }

                _latest[i] = new LatestValue(m.Quantity, m.Value, timestamp);
                return true;
            }
        }

        if (_latest.Length >= MaxLatestValues && !m.Quantity.IsKnown)
        {
            return false;
        }

        AppendLatest(new LatestValue(m.Quantity, m.Value, timestamp));
        return true;
    }

    private void AppendLatest(LatestValue value)
    {
        Array.Resize(ref _latest, _latest.Length + 1);
        _latest[^1] = value;
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

}
