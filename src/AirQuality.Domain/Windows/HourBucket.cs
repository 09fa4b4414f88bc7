namespace AirQuality.Domain.Windows;

/// <summary>
/// Accumulates one quantity's readings within one clock hour. Remembers the second of each reading it
/// took, so the same reading applied twice (a replay, a duplicate in a batch) is counted once; the first
/// value for a second wins.
/// </summary>
internal sealed class HourBucket
{
    private ushort[] _seconds = new ushort[4];
    private int _count;
    private double _sum;
    private double _min;
    private double _max;
    private ulong _slotMask;

    public HourBucket(long hour) => Reset(hour);

    /// <summary>Coverage slots must tile the hour and fit the 64-bit slot mask.</summary>
    public static void ValidateSlotsPerHour(int slotsPerHour)
    {
        if (slotsPerHour is < 1 or > 64 || 3600 % slotsPerHour != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slotsPerHour), slotsPerHour, "Slots per hour must divide 3600 and be 1-64.");
        }
    }

    /// <summary>Hours since the Unix epoch.</summary>
    public long Hour { get; private set; }

    public int Count => _count;

    public void Reset(long hour)
    {
        Hour = hour;
        _count = 0;
        _sum = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
        _slotMask = 0;
    }

    /// <summary>Adds a value at a second of the hour (0-3599); false when that second already has one.</summary>
    public bool TryAdd(int secondOfHour, double value, int slotsPerHour)
    {
        var position = Array.BinarySearch(_seconds, 0, _count, (ushort)secondOfHour);
        if (position >= 0)
        {
            return false;
        }

        position = ~position;
        if (_count == _seconds.Length)
        {
            Array.Resize(ref _seconds, _seconds.Length * 2);
        }

        Array.Copy(_seconds, position, _seconds, position + 1, _count - position);
        _seconds[position] = (ushort)secondOfHour;
        _count++;
        _sum += value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        _slotMask |= 1UL << (secondOfHour * slotsPerHour / 3600);
        return true;
    }

    public HourlyAggregate ToAggregate(int slotsPerHour) => new(
        DateTimeOffset.UnixEpoch.AddHours(Hour),
        _count == 0 ? double.NaN : _sum / _count,
        _count == 0 ? double.NaN : _min,
        _count == 0 ? double.NaN : _max,
        _count,
        (double)ulong.PopCount(_slotMask) / slotsPerHour);
}
