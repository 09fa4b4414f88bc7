namespace AirQuality.Domain.Windows;

/// <summary>Statistics of one quantity over one UTC day. Coverage = hours with data / 24.</summary>
public readonly record struct DailyAggregate(DateTimeOffset PeriodStart, double Mean, double Min, double Max, int Count, double Coverage)
{
    public DateTimeOffset PeriodEnd => PeriodStart.AddDays(1);
}

/// <summary>
/// Daily statistics for a fixed number of days, in a ring of 11-byte slots, built from whole hours
/// (an hour is folded in once, when it leaves the hourly window). The daily mean is the mean of the
/// hourly means, as the agencies compute daily means.
/// </summary>
public sealed class DailySeries
{
    private readonly DaySlot[] _ring;
    private long _newestDay = long.MinValue;

    public DailySeries(int capacityDays = 90)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacityDays, 3660);
        _ring = new DaySlot[capacityDays];
    }

    public int CapacityDays => _ring.Length;

    /// <summary>Folds one hour in. Hours of days older than the window are dropped.</summary>
    public void AddHour(HourlyAggregate hour)
    {
        if (hour.Count == 0)
        {
            return;
        }

        var day = TimeMath.DayOfHour(TimeMath.HourOf(hour.PeriodStart));
        if (_newestDay != long.MinValue && day <= _newestDay - _ring.Length)
        {
            return;
        }

        if (day > _newestDay)
        {
            for (var d = Math.Max(_newestDay + 1, day - _ring.Length + 1); d <= day && _newestDay != long.MinValue; d++)
            {
                _ring[SlotOf(d)] = default;
            }

            _newestDay = day;
        }

        _ring[SlotOf(day)].Add(hour);
    }

    /// <summary>The folded part of a day, or null when nothing of it was folded or it is not kept.</summary>
    internal DaySlot? GetSlot(long day) =>
        _newestDay == long.MinValue || day > _newestDay || day <= _newestDay - _ring.Length || _ring[SlotOf(day)].Hours == 0
            ? null
            : _ring[SlotOf(day)];

    public DailyAggregate? Get(DateTimeOffset dayStart) =>
        GetSlot(TimeMath.DayOfHour(TimeMath.HourOf(dayStart))) is { } slot ? slot.ToAggregate(TimeMath.DayOfHour(TimeMath.HourOf(dayStart))) : null;

    public void WriteTo(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_newestDay);
        var days = new List<long>();
        for (var d = _newestDay - _ring.Length + 1; _newestDay != long.MinValue && d <= _newestDay; d++)
        {
            if (GetSlot(d) is not null)
            {
                days.Add(d);
            }
        }

        writer.Write((ushort)days.Count);
        foreach (var d in days)
        {
            var slot = _ring[SlotOf(d)];
            writer.Write((ushort)(_newestDay - d));
            writer.Write(slot.SumOfHourlyMeans);
            writer.Write(slot.Min);
            writer.Write(slot.Max);
            writer.Write(slot.Count);
            writer.Write(slot.Hours);
        }
    }

    public void ReadFrom(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Array.Clear(_ring);
        _newestDay = reader.ReadInt64();
        var count = reader.ReadUInt16();
        for (var i = 0; i < count; i++)
        {
            var day = _newestDay - reader.ReadUInt16();
            var slot = new DaySlot
            {
                SumOfHourlyMeans = reader.ReadSingle(),
                Min = reader.ReadHalf(),
                Max = reader.ReadHalf(),
                Count = reader.ReadUInt16(),
                Hours = reader.ReadByte(),
            };
            if (day > _newestDay - _ring.Length)
            {
                _ring[SlotOf(day)] = slot;
            }
        }
    }

    private int SlotOf(long day) => (int)(((day % _ring.Length) + _ring.Length) % _ring.Length);
}

/// <summary>
/// One day in 11 bytes. The mean keeps float precision; the day's extremes are half-precision floats
/// (about three significant digits, shown as the shortest decimal that reads back the same: see HalfValue).
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)]
internal struct DaySlot
{
    public float SumOfHourlyMeans;
    public Half Min;
    public Half Max;
    public ushort Count;
    public byte Hours;

    public void Add(HourlyAggregate hour)
    {
        var min = HalfValue.From(hour.Min);
        var max = HalfValue.From(hour.Max);
        if (Hours == 0)
        {
            Min = min;
            Max = max;
        }
        else
        {
            Min = Half.Min(Min, min);
            Max = Half.Max(Max, max);
        }

        SumOfHourlyMeans += (float)hour.Mean;
        Count = (ushort)Math.Min(ushort.MaxValue, Count + hour.Count);
        Hours++;
    }

    public readonly DailyAggregate ToAggregate(long day) =>
        new(TimeMath.DayStart(day), Math.Round((double)SumOfHourlyMeans / Hours, 4), HalfValue.ToDouble(Min), HalfValue.ToDouble(Max), Count, Hours / 24.0);
}
