using System.Numerics;
using System.Runtime.InteropServices;

namespace AirQuality.Domain.Windows;

/// <summary>
/// One quantity's statistics for one clock hour in 20 bytes. Each minute of the hour holds at most one
/// reading (a bit in <see cref="Minutes"/>): that makes applying the same reading twice a no-op, gives
/// coverage for free, and bounds memory whatever a device sends. A device reporting more often than once
/// a minute is sampled at the first reading of each minute; the raw archive keeps every reading.
/// The hour's extremes are half-precision (<see cref="HalfValue"/>): 48 hours of two pollutants for a
/// million sensors is 96 million slots, and 4 bytes less per slot is what keeps a sensor under 8 KB.
/// Packed to 4 bytes so the slot is not padded back to 24.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct HourSlot
{
    /// <summary>
    /// A double: a float sum of 60 values of 899.9 is already 0.0005 off in the mean (measured), enough to
    /// move a truncated concentration across a band edge. <see cref="Mean"/> rounds away binary noise.
    /// </summary>
    public double Sum;

    /// <summary>Bit m set: minute m of the hour has its reading.</summary>
    public ulong Minutes;

    public Half Min;
    public Half Max;

    public readonly int Count => BitOperations.PopCount(Minutes);

    public readonly bool IsEmpty => Minutes == 0;

    /// <summary>False when the minute already has a reading: nothing changes.</summary>
    public bool TryAdd(int minuteOfHour, double value)
    {
        var bit = 1UL << minuteOfHour;
        if ((Minutes & bit) != 0)
        {
            return false;
        }

        var v = HalfValue.From(value);
        if (Minutes == 0)
        {
            Min = v;
            Max = v;
        }
        else
        {
            Min = Half.Min(Min, v);
            Max = Half.Max(Max, v);
        }

        Sum += value;
        Minutes |= bit;
        return true;
    }

    /// <summary>Share of the hour's <paramref name="slotsPerHour"/> equal parts that hold at least one reading.</summary>
    public readonly double Coverage(int slotsPerHour)
    {
        var minutesPerSlot = 60 / slotsPerHour;
        var mask = minutesPerSlot == 64 ? ulong.MaxValue : (1UL << minutesPerSlot) - 1;
        var covered = 0;
        for (var slot = 0; slot < slotsPerHour; slot++)
        {
            if ((Minutes & (mask << (slot * minutesPerSlot))) != 0)
            {
                covered++;
            }
        }

        return (double)covered / slotsPerHour;
    }

    public readonly double Mean => Math.Round(Sum / Count, 4);

    public readonly HourlyAggregate ToAggregate(long hour, int slotsPerHour) => IsEmpty
        ? new HourlyAggregate(TimeMath.HourStart(hour), double.NaN, double.NaN, double.NaN, 0, 0)
        : new HourlyAggregate(TimeMath.HourStart(hour), Mean, HalfValue.ToDouble(Min), HalfValue.ToDouble(Max), Count, Coverage(slotsPerHour));

    /// <summary>Coverage slots must tile the hour in whole minutes.</summary>
    public static void ValidateSlotsPerHour(int slotsPerHour)
    {
        if (slotsPerHour is < 1 or > 60 || 60 % slotsPerHour != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slotsPerHour), slotsPerHour, "Slots per hour must divide 60 (minutes).");
        }
    }
}

/// <summary>
/// Extremes kept as half-precision floats: about three significant digits (12.3 is kept as 12.296875,
/// 123.4 as 123.375, 899.9 as 900), which is what a chart of minima and maxima shows and below what a
/// low-cost sensor can tell apart. Means are never half-precision: they decide AQI bands.
/// </summary>
internal static class HalfValue
{
    /// <summary>Beyond Half's range (65504) the value is clamped, never turned into infinity.</summary>
    public static Half From(double value) => (Half)Math.Clamp(value, (double)Half.MinValue, (double)Half.MaxValue);

    /// <summary>
    /// The shortest decimal that reads back as the same half, so a reading of 12.3 shows as 12.3 and not
    /// as the binary 12.296875.
    /// </summary>
    public static double ToDouble(Half value)
    {
        Span<char> text = stackalloc char[32];
        return value.TryFormat(text, out var written, default, System.Globalization.CultureInfo.InvariantCulture)
            ? double.Parse(text[..written], System.Globalization.CultureInfo.InvariantCulture)
            : (double)value;
    }
}

/// <summary>Hour and day numbers since the Unix epoch, floor-divided so times before 1970 land right.</summary>
internal static class TimeMath
{
    public static long HourOf(DateTimeOffset time) => Math.DivRem(time.ToUnixTimeSeconds(), 3600, out var r) - (r < 0 ? 1 : 0);

    public static int MinuteOfHour(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds() - HourOf(time) * 3600;
        return (int)(seconds / 60);
    }

    public static DateTimeOffset HourStart(long hour) => DateTimeOffset.UnixEpoch.AddHours(hour);

    public static long DayOfHour(long hour) => Math.DivRem(hour, 24, out var r) - (r < 0 ? 1 : 0);

    public static DateTimeOffset DayStart(long day) => DateTimeOffset.UnixEpoch.AddDays(day);
}
