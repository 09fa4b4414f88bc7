using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Aqi;

/// <summary>
/// US EPA AQI as revised on 6 May 2024 (aqi.md). Concentrations are truncated to each pollutant's
/// reporting precision before the piecewise-linear equation; the result is rounded to an integer.
/// </summary>
internal sealed class UsEpa2024Standard : AqiStandard
{
    internal static readonly AqiCategory Good = new("Good", "#00e400", 0, 50);
    internal static readonly AqiCategory Moderate = new("Moderate", "#ffff00", 51, 100);
    internal static readonly AqiCategory Usg = new("Unhealthy for Sensitive Groups", "#ff7e00", 101, 150);
    internal static readonly AqiCategory Unhealthy = new("Unhealthy", "#ff0000", 151, 200);
    internal static readonly AqiCategory VeryUnhealthy = new("Very Unhealthy", "#8f3f97", 201, 300);
    internal static readonly AqiCategory Hazardous = new("Hazardous", "#7e0023", 301, 500);

    private static readonly AqiCategory[] Scale = [Good, Moderate, Usg, Unhealthy, VeryUnhealthy, Hazardous];

    // Breakpoint tables in the native unit: truncation scale (10 = to 0.1), then (C_lo, C_hi, I_lo, I_hi).
    private static readonly Table Pm25 = new(10,
        [new(0.0, 9.0, 0, 50), new(9.1, 35.4, 51, 100), new(35.5, 55.4, 101, 150),
         new(55.5, 125.4, 151, 200), new(125.5, 225.4, 201, 300), new(225.5, 325.4, 301, 500)]);

    private static readonly Table Pm10 = new(1,
        [new(0, 54, 0, 50), new(55, 154, 51, 100), new(155, 254, 101, 150),
         new(255, 354, 151, 200), new(355, 424, 201, 300), new(425, 604, 301, 500)]);

    private static readonly Table O3EightHour = new(1000,
        [new(0.000, 0.054, 0, 50), new(0.055, 0.070, 51, 100), new(0.071, 0.085, 101, 150),
         new(0.086, 0.105, 151, 200), new(0.106, 0.200, 201, 300)]);

    private static readonly Table O3OneHour = new(1000,
        [new(0.125, 0.164, 101, 150), new(0.165, 0.204, 151, 200), new(0.205, 0.404, 201, 300), new(0.405, 0.604, 301, 500)]);

    private static readonly Table Co = new(10,
        [new(0.0, 4.4, 0, 50), new(4.5, 9.4, 51, 100), new(9.5, 12.4, 101, 150),
         new(12.5, 15.4, 151, 200), new(15.5, 30.4, 201, 300), new(30.5, 50.4, 301, 500)]);

    private static readonly Table So2OneHour = new(1,
        [new(0, 35, 0, 50), new(36, 75, 51, 100), new(76, 185, 101, 150), new(186, 304, 151, 200)]);

    private static readonly Table So2TwentyFourHour = new(1,
        [new(305, 604, 201, 300), new(605, 1004, 301, 500)]);

    private static readonly Table No2 = new(1,
        [new(0, 53, 0, 50), new(54, 100, 51, 100), new(101, 360, 101, 150),
         new(361, 649, 151, 200), new(650, 1249, 201, 300), new(1250, 2049, 301, 500)]);

    private static readonly Averaging[] TwentyFourHourOnly = [Averaging.TwentyFourHours];
    private static readonly Averaging[] EightHourOnly = [Averaging.EightHours];
    private static readonly Averaging[] OneHourOnly = [Averaging.OneHour];
    private static readonly Averaging[] OzoneAveragings = [Averaging.EightHours, Averaging.OneHour];
    private static readonly Averaging[] So2Averagings = [Averaging.OneHour, Averaging.TwentyFourHours];

    internal const string O3EightHourTooHigh = "8-hour O3 above 0.200 ppm does not define the AQI; use the 1-hour value";
    internal const string O3OneHourTooLow = "1-hour O3 below 0.125 ppm does not define the AQI; the 8-hour value governs";
    internal const string So2OneHourTooHigh = "1-hour SO2 at 305 ppb or more does not define the AQI; AQI 200 and above uses the 24-hour mean";
    internal const string So2TwentyFourHourTooLow = "24-hour SO2 defines the AQI only from 305 ppb (index 201); use the 1-hour value below that";
    internal const string BeyondTop = "beyond the AQI: above the top of the table (500+)";

    public override AqiStandardId Id => AqiStandardId.UsEpa2024;

    public override string Name => "us-epa-2024";

    public override ReferenceConditions ReferenceConditions => ReferenceConditions.TwentyFiveCelsius;

    public override IReadOnlyList<AqiCategory> Categories => Scale;

    public override IReadOnlyList<Pollutant> Pollutants => PollutantNames.All;

    public override Unit NativeUnit(Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 or Pollutant.Pm10 => Unit.MicrogramsPerCubicMetre,
        Pollutant.O3 or Pollutant.Co => Unit.PartsPerMillion,
        _ => Unit.PartsPerBillion,
    };

    public override Averaging DefaultAveraging(Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 or Pollutant.Pm10 => Averaging.TwentyFourHours,
        Pollutant.O3 or Pollutant.Co => Averaging.EightHours,
        _ => Averaging.OneHour,
    };

    public override IReadOnlyList<Averaging> AveragingsFor(Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 or Pollutant.Pm10 => TwentyFourHourOnly,
        Pollutant.O3 => OzoneAveragings,
        Pollutant.Co => EightHourOnly,
        Pollutant.So2 => So2Averagings,
        _ => OneHourOnly,
    };

    private protected override SubIndex CalculateCore(Pollutant pollutant, double concentration, Averaging averaging)
    {
        var table = (pollutant, averaging) switch
        {
            (Pollutant.Pm25, _) => Pm25,
            (Pollutant.Pm10, _) => Pm10,
            (Pollutant.O3, Averaging.EightHours) => O3EightHour,
            (Pollutant.O3, _) => O3OneHour,
            (Pollutant.Co, _) => Co,
            (Pollutant.So2, Averaging.OneHour) => So2OneHour,
            (Pollutant.So2, _) => So2TwentyFourHour,
            _ => No2,
        };

        var c = table.Truncate(concentration);

        // The rules of the tables' open ends (aqi.md): these are "not defined here", not "beyond the index".
        string? undefined = (pollutant, averaging) switch
        {
            (Pollutant.O3, Averaging.EightHours) when c > 0.200 => O3EightHourTooHigh,
            (Pollutant.O3, Averaging.OneHour) when c < 0.125 => O3OneHourTooLow,
            (Pollutant.So2, Averaging.OneHour) when c >= 305 => So2OneHourTooHigh,
            (Pollutant.So2, Averaging.TwentyFourHours) when c < 305 => So2TwentyFourHourTooLow,
            _ => null,
        };
        if (undefined is not null)
        {
            return new SubIndex(Id, pollutant, averaging, AqiStatus.NotDefined, 0, null, c, undefined);
        }

        foreach (var bp in table.Breakpoints)
        {
            if (c <= bp.ConcentrationHigh)
            {
                var index = (int)Math.Round(
                    (bp.IndexHigh - bp.IndexLow) / (bp.ConcentrationHigh - bp.ConcentrationLow) * (c - bp.ConcentrationLow) + bp.IndexLow,
                    MidpointRounding.AwayFromZero);
                return new SubIndex(Id, pollutant, averaging, AqiStatus.Ok, index, CategoryOfIndex(index), c);
            }
        }

        return new SubIndex(Id, pollutant, averaging, AqiStatus.BeyondIndex, 500, Hazardous, c, BeyondTop);
    }

    /// <summary>
    /// The ozone index when both averages may be known: the 8-hour value governs, and the 1-hour value
    /// is reported instead where it is higher (or where the 8-hour scale stops, above 0.200 ppm).
    /// </summary>
    public SubIndex OzoneIndex(double? eightHourPpm, double? oneHourPpm)
    {
        SubIndex? eight = eightHourPpm is { } e ? Calculate(Pollutant.O3, e, Averaging.EightHours) : null;
        SubIndex? one = oneHourPpm is { } o ? Calculate(Pollutant.O3, o, Averaging.OneHour) : null;
        return Worse(eight, one) ?? InsufficientData(Pollutant.O3, Averaging.EightHours);
    }

    /// <summary>
    /// The SO2 index from the 1-hour value and, when known, the 24-hour mean. 1-hour values define the
    /// index up to 200; above 304 ppb the 24-hour mean decides, and without a 24-hour mean of 305 ppb or
    /// more the index is 200 (the top the 1-hour scale defines).
    /// </summary>
    public SubIndex So2Index(double? oneHourPpb, double? twentyFourHourPpb)
    {
        SubIndex? one = oneHourPpb is { } o ? Calculate(Pollutant.So2, o, Averaging.OneHour) : null;
        SubIndex? day = twentyFourHourPpb is { } d ? Calculate(Pollutant.So2, d, Averaging.TwentyFourHours) : null;
        if (one is { Status: AqiStatus.NotDefined } high && day is not { HasIndex: true })
        {
            return high with
            {
                Status = AqiStatus.Ok,
                Index = 200,
                Category = Unhealthy,
                Note = "1-hour SO2 of 305 ppb or more without a 24-hour mean of 305 ppb or more: index 200",
            };
        }

        return Worse(one, day) ?? InsufficientData(Pollutant.So2, Averaging.OneHour);
    }

    internal static AqiCategory CategoryOfIndex(int index) => index switch
    {
        <= 50 => Good,
        <= 100 => Moderate,
        <= 150 => Usg,
        <= 200 => Unhealthy,
        <= 300 => VeryUnhealthy,
        _ => Hazardous,
    };

    private static SubIndex? Worse(SubIndex? a, SubIndex? b)
    {
        if (a is not { HasIndex: true })
        {
            return b is { HasIndex: true } ? b : a ?? b;
        }

        return b is { HasIndex: true } bi && bi.Index > a.Value.Index ? bi : a;
    }

    private readonly record struct Breakpoint(double ConcentrationLow, double ConcentrationHigh, int IndexLow, int IndexHigh);

    private sealed class Table(double scale, Breakpoint[] breakpoints)
    {
        private readonly double _scale = scale;

        public Breakpoint[] Breakpoints { get; } = breakpoints;

        /// <summary>
        /// Truncates to the table's precision (35.45 -> 35.4). The small epsilon absorbs binary
        /// representation error, so 35.4 (stored as 35.3999...) stays 35.4 and is not cut to 35.3.
        /// </summary>
        public double Truncate(double c) => Math.Floor(c * _scale + 1e-7) / _scale;
    }
}
