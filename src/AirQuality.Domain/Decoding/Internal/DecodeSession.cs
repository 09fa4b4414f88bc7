using System.Globalization;
using System.Text;
using System.Text.Unicode;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;

namespace AirQuality.Domain.Decoding.Internal;

/// <summary>
/// The state of one Decode call: the result being filled, the record being assembled, and caches
/// for strings that repeat across records. Decoders are shared and thread-safe; a session is not,
/// so each call creates its own.
/// </summary>
/// <remarks>
/// A record is assembled with <see cref="BeginRecord"/>, the setters and <see cref="EndRecord"/>.
/// A record-level problem (<see cref="FailRecord"/>) rejects the record whole; a value-level one
/// (<see cref="RejectValue"/>) rejects that value only. Value rejections are held back until the
/// record ends because the sensor id they should name may come later in the record, and because a
/// record rejected whole should be reported once, not once per value.
/// </remarks>
internal sealed class DecodeSession
{
    /// <summary>More values than this in one record is not a sensor but an attack or a bug.</summary>
    public const int MaxValuesPerRecord = 256;

    public const int MaxSensorTypeLength = 64;

    /// <summary>Interning is a saving, not a duty: past this many distinct ids, new strings are just made.</summary>
    private const int MaxInternedIds = 65_536;

    private readonly ReadingValidator _validator;
    private readonly List<(string Quantity, string Reason, bool IsValue)> _valueProblems = [];
    private Measurement[] _values = new Measurement[8];
    private int _valueCount;
    private int _valuesSeen;
    private int _record;
    private long? _line;
    private string? _recordProblem;
    private SensorLocation? _location;
    private string? _sensorType;

    private readonly List<(int Start, int Length)> _keys = [];
    private byte[] _keyBytes = new byte[128];
    private int _keyBytesUsed;

    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _idLookup;
    private string? _lastId;

    private readonly byte[] _lastTimestampText = new byte[40];
    private int _lastTimestampLength = -1;
    private bool _lastTimestampRequiredZone;
    private DateTimeOffset _lastTimestamp;
    private string? _lastTimestampProblem;

    public DecodeSession(ReadingValidator validator)
    {
        _validator = validator;
        _idLookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public DecodeResult Result { get; private set; } = new();

    /// <summary>What was decoded since the last call (or the start), handed over; the session goes on with a new result.</summary>
    public DecodeResult TakeResult()
    {
        var result = Result;
        Result = new DecodeResult();
        return result;
    }

    public SmallCache<Quantity> QuantityNames { get; } = new();

    public SmallCache<SensorCommunityValueType> ValueTypes { get; } = new();

    /// <summary>Short strings that repeat across records: sensor types, country codes.</summary>
    public SmallCache<string> ShortStrings { get; } = new();

    /// <summary>The current record's sensor id, once a valid one was set.</summary>
    public string? Sensor { get; private set; }

    public DateTimeOffset? Timestamp { get; private set; }

    public bool RecordFailed => _recordProblem is not null;

    public void BeginRecord(int record, long? line)
    {
        _record = record;
        _line = line;
        _recordProblem = null;
        _valueCount = 0;
        _valuesSeen = 0;
        _valueProblems.Clear();
        Sensor = null;
        Timestamp = null;
        _location = null;
        _sensorType = null;
    }

    /// <summary>
    /// Rejects the current record unless it named its sensor, its time and its values; the names are the
    /// format's own property names, so the reason points at what the sender must add.
    /// </summary>
    public void RequireSensorTimeAndValues(string sensorProperty, bool sawValues, string valuesProperty)
    {
        if (Sensor is null)
        {
            FailRecord($"missing '{sensorProperty}'");
        }

        if (Timestamp is null)
        {
            FailRecord("missing 'timestamp'");
        }

        if (!sawValues)
        {
            FailRecord($"missing '{valuesProperty}'");
        }
    }

    /// <summary>Rejects the current record for a key its object has twice; <paramref name="within"/> names that object when it is not the record.</summary>
    public void DuplicateKey(string key, string? within = null) =>
        FailRecord(within is null ? $"duplicate key '{key}'" : $"duplicate key '{key}' in '{within}'");

    /// <summary>Starts noting the keys of an object whose keys are not known in advance (canonical "values").</summary>
    public void ResetKeys()
    {
        _keyBytesUsed = 0;
        _keys.Clear();
    }

    /// <summary>Notes a key of the object begun by <see cref="ResetKeys"/>; false when the object had it already.</summary>
    public bool AddKey(ReadOnlySpan<byte> key)
    {
        foreach (var (start, length) in _keys)
        {
            if (length == key.Length && key.SequenceEqual(_keyBytes.AsSpan(start, length)))
            {
                return false;
            }
        }

        if (_keyBytesUsed + key.Length > _keyBytes.Length)
        {
            Array.Resize(ref _keyBytes, Math.Max(_keyBytes.Length * 2, _keyBytesUsed + key.Length));
        }

        key.CopyTo(_keyBytes.AsSpan(_keyBytesUsed));
        _keys.Add((_keyBytesUsed, key.Length));
        _keyBytesUsed += key.Length;
        return true;
    }

    /// <summary>Rejects the current record whole. The first problem found is the one reported.</summary>
    public void FailRecord(string reason) => _recordProblem ??= reason;

    /// <summary>Rejects one value of the current record; the record keeps its other values.</summary>
    public void RejectValue(string quantity, string reason)
    {
        if (CountValue())
        {
            _valueProblems.Add((quantity, reason, true));
        }
    }

    /// <summary>Rejects the current record's location (reported as quantity "location"); the reading is kept without it.</summary>
    public void RejectLocation(string reason) => RejectAttribute("location", reason);

    /// <summary>Rejects the current record's sensor type (reported as quantity "sensorType"); the reading is kept without it.</summary>
    public void RejectSensorType(string reason) => RejectAttribute("sensorType", reason);

    /// <summary>Adds a value already in the quantity's canonical unit, if the validator accepts it.</summary>
    public void AddValue(Quantity quantity, double value)
    {
        if (!CountValue())
        {
            return;
        }

        if (_validator.CheckValue(quantity, value) is { } problem)
        {
            _valueProblems.Add((quantity.Name, problem, true));
            return;
        }

        for (var i = 0; i < _valueCount; i++)
        {
            if (_values[i].Quantity == quantity)
            {
                // Two values for one quantity in one reading: keeping both would make the reading ambiguous.
                _valueProblems.Add((quantity.Name, $"duplicate value for '{quantity.Name}'; the first one ({_values[i].Value}) is kept", true));
                return;
            }
        }

        if (_valueCount == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[_valueCount++] = new Measurement(quantity, value);
    }

    public void SetLocation(SensorLocation location)
    {
        if (location.Problem is { } problem)
        {
            RejectLocation(problem);
        }
        else
        {
            _location = location;
        }
    }

    /// <summary>Sets the sensor type, or rejects it as value "sensorType" when it is not printable text of sane length.</summary>
    public void SetSensorType(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return;
        }

        if (ShortStrings.TryGet(utf8, out var cached))
        {
            _sensorType = cached;
            return;
        }

        if (utf8.Length <= MaxSensorTypeLength && Utf8.IsValid(utf8))
        {
            var text = Encoding.UTF8.GetString(utf8);
            if (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0 && !text.Contains('\u007f', StringComparison.Ordinal))
            {
                ShortStrings.Add(utf8, text);
                _sensorType = text;
                return;
            }
        }

        RejectSensorType($"sensor type '{TextDescription.Of(utf8)}' is not acceptable (at most {MaxSensorTypeLength} printable characters)");
    }

    public void SetSensorType(string sensorType) => _sensorType = sensorType;

    /// <summary>A short string (country code) decoded once per distinct value within the call.</summary>
    public string ShortString(ReadOnlySpan<byte> utf8)
    {
        if (ShortStrings.TryGet(utf8, out var cached))
        {
            return cached;
        }

        var text = Encoding.UTF8.GetString(utf8);
        ShortStrings.Add(utf8, text);
        return text;
    }

    /// <summary>Validates the id with <see cref="SensorId.Problem"/> and interns it; an invalid id fails the record.</summary>
    public void SetSensorId(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            FailRecord($"sensor id '{TextDescription.Of(utf8)}' is not valid UTF-8");
            return;
        }

        // Longer ids are rejected by SensorId.Problem anyway; decoding a prefix is enough to say so.
        var slice = utf8.Length > 4 * (SensorId.MaxLength + 1) ? utf8[..(4 * (SensorId.MaxLength + 1))] : utf8;
        Span<char> chars = stackalloc char[slice.Length];
        var written = Encoding.UTF8.GetChars(slice, chars);
        SetSensorId(chars[..written]);
    }

    public void SetSensorId(ReadOnlySpan<char> id)
    {
        if (SensorId.Problem(id) is { } problem)
        {
            FailRecord(problem + $" (got '{TextDescription.Of(id)}')");
            return;
        }

        Sensor = Intern(id);
    }

    /// <summary>Sets the id "sc-&lt;number&gt;" Sensor.Community sensors get here.</summary>
    public void SetSensorCommunityId(long number)
    {
        Span<char> id = stackalloc char[24];
        "sc-".CopyTo(id);
        _ = number.TryFormat(id[3..], out var written, default, CultureInfo.InvariantCulture);
        SetSensorId(id[..(3 + written)]);
    }

    /// <summary>Reads a Sensor.Community sensor number: 1 to 18 ASCII digits.</summary>
    public static bool TryParseSensorNumber(ReadOnlySpan<byte> text, out long number)
    {
        number = 0;
        if (text.IsEmpty || text.Length > 18)
        {
            return false;
        }

        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }

    /// <summary>Parses and validates a timestamp; a bad one fails the record (a reading without a time is useless).</summary>
    public void SetTimestamp(ReadOnlySpan<byte> text, bool requireZone)
    {
        // Records in one batch very often share a timestamp: reuse the last parse and check.
        if (_lastTimestampLength == text.Length && _lastTimestampRequiredZone == requireZone
            && text.SequenceEqual(_lastTimestampText.AsSpan(0, _lastTimestampLength)))
        {
            ApplyTimestamp(_lastTimestamp, _lastTimestampProblem);
            return;
        }

        if (!Utf8Timestamp.TryParse(text, requireZone, out var utc, out var problem))
        {
            FailRecord(problem!);
            return;
        }

        var check = _validator.CheckTimestamp(utc);
        text.CopyTo(_lastTimestampText);
        _lastTimestampLength = text.Length;
        _lastTimestampRequiredZone = requireZone;
        _lastTimestamp = utc;
        _lastTimestampProblem = check;
        ApplyTimestamp(utc, check);
    }

    public void SetTimestamp(DateTimeOffset utc) => ApplyTimestamp(utc.ToUniversalTime(), _validator.CheckTimestamp(utc));

    /// <summary>Emits the current record: a reading plus its value rejections, or one rejection for the whole record.</summary>
    public void EndRecord()
    {
        Result.RecordCount++;
        if (_recordProblem is { } problem)
        {
            Result.Rejections.Add(new Rejection(_record, _line, Sensor, null, problem));
            return;
        }

        if (Sensor is null || Timestamp is null)
        {
            // Decoders fail records with a format-specific message before this; this is the safety net.
            Result.Rejections.Add(new Rejection(_record, _line, Sensor, null, Sensor is null ? "missing sensor id" : "missing timestamp"));
            return;
        }

        if (_valueCount == 0)
        {
            Result.Rejections.Add(new Rejection(_record, _line, Sensor, null, NoValuesReason()));
            return;
        }

        var values = _values.AsSpan(0, _valueCount).ToArray();
        Result.Readings.Add(new Reading(Sensor, Timestamp.Value, values, _location, _sensorType));
        foreach (var (quantity, reason, _) in _valueProblems)
        {
            Result.Rejections.Add(new Rejection(_record, _line, Sensor, quantity, reason));
        }
    }

    /// <summary>
    /// Rejects an input that holds no record at all (an empty body, a CSV without a header). Such a
    /// rejection has record number 0 and counts no record.
    /// </summary>
    public void RejectWholeInput(string reason, long? line = null) =>
        Result.Rejections.Add(new Rejection(0, line, null, null, reason));

    /// <summary>
    /// Rejects what is left of the input from record <paramref name="record"/> on, after a syntax error.
    /// Counts as one record. Whatever was assembled of the current record is dropped.
    /// </summary>
    public void RejectRest(int record, long? line, string reason, string? sensor = null)
    {
        Result.RecordCount++;
        Result.Rejections.Add(new Rejection(record, line, sensor, null, reason));
    }

    private void ApplyTimestamp(DateTimeOffset utc, string? problem)
    {
        if (problem is not null)
        {
            FailRecord(problem);
        }
        else
        {
            Timestamp = utc;
        }
    }

    private bool CountValue()
    {
        if (++_valuesSeen > MaxValuesPerRecord)
        {
            FailRecord($"record has more than {MaxValuesPerRecord} values");
        }

        return !RecordFailed;
    }

    /// <summary>
    /// A problem with something beside the values (location, sensor type): reported, but the reading is kept.
    /// One per attribute, so a record repeating a bad property cannot grow the rejections without bound.
    /// </summary>
    private void RejectAttribute(string what, string reason)
    {
        if (RecordFailed)
        {
            return;
        }

        for (var i = 0; i < _valueProblems.Count; i++)
        {
            if (!_valueProblems[i].IsValue && string.Equals(_valueProblems[i].Quantity, what, StringComparison.Ordinal))
            {
                _valueProblems[i] = (what, reason, false);
                return;
            }
        }

        _valueProblems.Add((what, reason, false));
    }

    private string NoValuesReason()
    {
        var builder = new StringBuilder();
        var shown = 0;
        var more = 0;
        foreach (var (quantity, reason, isValue) in _valueProblems)
        {
            if (!isValue)
            {
                continue;
            }

            if (shown == 3)
            {
                more++;
                continue;
            }

            builder.Append(shown++ == 0 ? "no acceptable values: " : "; ").Append('\'').Append(quantity).Append("': ").Append(reason);
        }

        if (shown == 0)
        {
            return "record has no values";
        }

        if (more > 0)
        {
            builder.Append("; and ").Append(more).Append(" more");
        }

        return builder.ToString();
    }

    private string Intern(ReadOnlySpan<char> id)
    {
        if (_lastId is not null && id.SequenceEqual(_lastId))
        {
            return _lastId;
        }

        if (!_idLookup.TryGetValue(id, out var interned))
        {
            interned = new string(id);
            if (_ids.Count < MaxInternedIds)
            {
                _ids.Add(interned, interned);
            }
        }

        _lastId = interned;
        return interned;
    }
}
