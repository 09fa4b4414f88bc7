namespace AirQuality.Domain.Windows;

/// <summary>What happened to a value offered to an <see cref="HourlySeries"/>.</summary>
public enum AddOutcome : byte
{
    Added,

    /// <summary>That minute of that hour already had a reading: nothing changed (duplicates and replays land here).</summary>
    Duplicate,

    /// <summary>Older than the hours the series keeps: nothing changed (the raw archive still has it).</summary>
    TooOld,
}

/// <summary>
/// The recent hours of one quantity: hourly aggregates built from irregular readings that may arrive
/// out of order or twice, kept for a fixed number of hours in a ring of 24-byte slots, plus the running
/// means and NowCast inputs the AQI standards need. An hour that falls out of the window is handed to
/// <see cref="HourEvicted"/> (the daily history folds it in).
/// </summary>
public sealed class HourlySeries
{
    private readonly HourSlot[] _ring;
    private readonly int _slotsPerHour;
    private readonly DailySeries? _foldInto;
    private long _newestHour = long.MinValue;

    /// <param name="capacityHours">Hours kept, counting back from the newest hour seen.</param>
    /// <param name="slotsPerHour">Coverage resolution: equal parts of the hour, dividing 60. Default 4 (quarter-hours, the UK's 3-of-4 rule).</param>
    public HourlySeries(int capacityHours = 48, int slotsPerHour = 4)
        : this(capacityHours, slotsPerHour, null)
    {
    }

    /// <summary>A series whose hours fold into <paramref name="foldInto"/> as they leave (no delegate per series).</summary>
    internal HourlySeries(int capacityHours, int slotsPerHour, DailySeries? foldInto)
    {
        _foldInto = foldInto;
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityHours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacityHours, 24 * 31);
        HourSlot.ValidateSlotsPerHour(slotsPerHour);
        _ring = new HourSlot[capacityHours];
        _slotsPerHour = slotsPerHour;
    }

    /// <summary>Called with each hour that leaves the window and had data, oldest first.</summary>
    public event Action<HourlyAggregate>? HourEvicted;

    public int CapacityHours => _ring.Length;

    public int SlotsPerHour => _slotsPerHour;

    /// <summary>Start of the newest hour that has data; null while empty.</summary>
    public DateTimeOffset? NewestHour => _newestHour == long.MinValue ? null : TimeMath.HourStart(_newestHour);

    public AddOutcome Add(DateTimeOffset timestamp, double value)
    {
        var hour = TimeMath.HourOf(timestamp);
        if (_newestHour != long.MinValue && hour <= _newestHour - _ring.Length)
        {
            return AddOutcome.TooOld;
        }

        if (hour > _newestHour)
        {
            AdvanceTo(hour);
        }

        return _ring[SlotOf(hour)].TryAdd(TimeMath.MinuteOfHour(timestamp), value) ? AddOutcome.Added : AddOutcome.Duplicate;
    }

    /// <summary>The aggregate of the hour starting at <paramref name="hourStart"/>, or null when it has no data or is not kept.</summary>
    public HourlyAggregate? Get(DateTimeOffset hourStart)
    {
        var hour = TimeMath.HourOf(hourStart);
        return TryGetSlot(hour, out var slot) ? slot.ToAggregate(hour, _slotsPerHour) : null;
    }

    /// <summary>Every kept hour that has data, oldest first.</summary>
    public IReadOnlyList<HourlyAggregate> Hours()
    {
        var result = new List<HourlyAggregate>();
        if (_newestHour == long.MinValue)
        {
            return result;
        }

        for (var h = _newestHour - _ring.Length + 1; h <= _newestHour; h++)
        {
            if (TryGetSlot(h, out var slot))
            {
                result.Add(slot.ToAggregate(h, _slotsPerHour));
            }
        }

        return result;
    }

    /// <summary>
    /// The mean of the hour, or NaN when the hour has no data, is not kept, or its coverage is below
    /// <paramref name="minCoverage"/>.
    /// </summary>
    public double HourlyMean(DateTimeOffset hourStart, double minCoverage = 0.75) => HourlyMean(TimeMath.HourOf(hourStart), minCoverage);

    /// <summary>
    /// Writes hourly means into <paramref name="destination"/>, most recent first, starting with the hour
    /// that ends at <paramref name="periodEnd"/>; NaN for hours without (enough) data. This is the NowCast input.
    /// </summary>
    public void FillHourlyMeans(DateTimeOffset periodEnd, Span<double> destination, double minCoverage = 0.75)
    {
        var latest = TimeMath.HourOf(periodEnd) - 1;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = HourlyMean(latest - i, minCoverage);
        }
    }

    /// <summary>
    /// The mean of hourly means over the <paramref name="hours"/> hours ending at <paramref name="periodEnd"/>
    /// (an hour boundary). Valid when at least <paramref name="minWindowCoverage"/> of those hours have a
    /// mean (each hour itself needing <paramref name="minHourCoverage"/>): 18 of 24, 6 of 8 by default.
    /// </summary>
    public RunningMean Running(DateTimeOffset periodEnd, int hours, double minHourCoverage = 0.75, double minWindowCoverage = 0.75)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        var end = TimeMath.HourOf(periodEnd);
        double sum = 0;
        var withData = 0;
        for (var h = end - hours; h < end; h++)
        {
            var mean = HourlyMean(h, minHourCoverage);
            if (!double.IsNaN(mean))
            {
                sum += mean;
                withData++;
            }
        }

        var valid = withData > 0 && withData >= Math.Ceiling(minWindowCoverage * hours - 1e-9);
        return new RunningMean(TimeMath.HourStart(end), hours, withData, withData == 0 ? double.NaN : sum / withData, valid);
    }

    /// <summary>Hour boundary at or before a time.</summary>
    public static DateTimeOffset HourStartOf(DateTimeOffset time) => TimeMath.HourStart(TimeMath.HourOf(time));

    /// <summary>Writes the kept hours that have data; <see cref="ReadFrom"/> restores them.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_newestHour);
        var hours = new List<long>();
        if (_newestHour != long.MinValue)
        {
            for (var h = _newestHour - _ring.Length + 1; h <= _newestHour; h++)
            {
                if (TryGetSlot(h, out _))
                {
                    hours.Add(h);
                }
            }
        }

        writer.Write((ushort)hours.Count);
        foreach (var h in hours)
        {
            ref var slot = ref _ring[SlotOf(h)];
            writer.Write((ushort)(_newestHour - h));
            writer.Write(slot.Sum);
            writer.Write((float)slot.Min); // the snapshot keeps floats: its format predates half-precision slots
            writer.Write((float)slot.Max);
            writer.Write(slot.Minutes);
        }
    }

    public void ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Array.Clear(_ring);
        _newestHour = reader.ReadInt64();
        var count = reader.ReadUInt16();
        for (var i = 0; i < count; i++)
        {
            var hour = _newestHour - reader.ReadUInt16();
            var slot = new HourSlot { Sum = reader.ReadDouble(), Min = HalfValue.From(reader.ReadSingle()), Max = HalfValue.From(reader.ReadSingle()), Minutes = reader.ReadUInt64() };
            if (hour > _newestHour - _ring.Length)
            {
                _ring[SlotOf(hour)] = slot;
            }
        }
    }

    private double HourlyMean(long hour, double minCoverage)
    {
        if (!TryGetSlot(hour, out var slot))
        {
            return double.NaN;
        }

        return slot.Coverage(_slotsPerHour) + 1e-9 >= minCoverage ? slot.Mean : double.NaN;
    }

    private void AdvanceTo(long hour)
    {
        if (_newestHour != long.MinValue)
        {
            // Every hour from the oldest kept up to the one the new hour displaces leaves the window.
            var firstLeaving = _newestHour - _ring.Length + 1;
            var lastLeaving = Math.Min(hour - _ring.Length, _newestHour);
            for (var h = firstLeaving; h <= lastLeaving; h++)
            {
                ref var slot = ref _ring[SlotOf(h)];
                if (!slot.IsEmpty)
                {
                    var aggregate = slot.ToAggregate(h, _slotsPerHour);
                    _foldInto?.AddHour(aggregate);
                    HourEvicted?.Invoke(aggregate);
                    slot = default;
                }
            }
        }

        _newestHour = hour;
    }

    private bool TryGetSlot(long hour, out HourSlot slot)
    {
        if (_newestHour == long.MinValue || hour > _newestHour || hour <= _newestHour - _ring.Length)
        {
            slot = default;
            return false;
        }

        slot = _ring[SlotOf(hour)];
        return !slot.IsEmpty;
    }

    private int SlotOf(long hour) => (int)(((hour % _ring.Length) + _ring.Length) % _ring.Length);
}
