namespace AirQuality.Domain.Windows;

/// <summary>
/// Statistics of one quantity over one clock hour [PeriodStart, PeriodEnd). Coverage is the share of
/// the hour's slots (by default its four quarter-hours) that hold at least one reading.
/// </summary>
public readonly record struct HourlyAggregate(DateTimeOffset PeriodStart, double Mean, double Min, double Max, int Count, double Coverage)
{
    public DateTimeOffset PeriodEnd => PeriodStart.AddHours(1);
}

/// <summary>A running mean of hourly means over a window that ends at <see cref="PeriodEnd"/>.</summary>
/// <param name="PeriodEnd">End of the window (exclusive), an hour boundary.</param>
/// <param name="Hours">Length of the window in hours.</param>
/// <param name="HoursWithData">Hours in the window whose own coverage passed the hourly threshold.</param>
/// <param name="Mean">Mean of those hours' means; NaN when there are none.</param>
/// <param name="IsValid">Whether enough hours had data (by default 75 %: 18 of 24, 6 of 8).</param>
public readonly record struct RunningMean(DateTimeOffset PeriodEnd, int Hours, int HoursWithData, double Mean, bool IsValid)
{
    public double Coverage => Hours == 0 ? 0 : (double)HoursWithData / Hours;
}
