using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Aqi;

/// <summary>
/// The UK Daily Air Quality Index (Defra). Concentrations (µg/m³) are rounded to the nearest integer
/// BEFORE banding, so the table's integer gaps are never fallen into (11.5 -> 12 -> index 2), and the
/// top band is open (index 10 for everything above 9).
/// </summary>
internal sealed class UkDaqiStandard : AqiStandard
{
    private const string Low = "Low";
    private const string Moderate = "Moderate";
    private const string High = "High";
    private const string VeryHigh = "Very High";

    // Defra's published colour for each of the ten indices.
    private static readonly AqiCategory[] Scale =
    [
        new(Low, "#9cff9c", 1, 1), new(Low, "#31ff00", 2, 2), new(Low, "#31cf00", 3, 3),
        new(Moderate, "#ffff00", 4, 4), new(Moderate, "#ffcf00", 5, 5), new(Moderate, "#ff9a00", 6, 6),
        new(High, "#ff6464", 7, 7), new(High, "#ff0000", 8, 8), new(High, "#990000", 9, 9),
        new(VeryHigh, "#ce30ff", 10, 10),
    ];

    private static readonly UpperLimitBands Pm25 = new(11, 23, 35, 41, 47, 53, 58, 64, 70);
    private static readonly UpperLimitBands Pm10 = new(16, 33, 50, 58, 66, 75, 83, 91, 100);
    private static readonly UpperLimitBands O3 = new(33, 66, 100, 120, 140, 160, 187, 213, 240);
    private static readonly UpperLimitBands No2 = new(67, 134, 200, 267, 334, 400, 467, 534, 600);
    private static readonly UpperLimitBands So2 = new(88, 177, 266, 354, 443, 532, 710, 887, 1064);

    private static readonly Pollutant[] Indexed = [Pollutant.Pm25, Pollutant.Pm10, Pollutant.O3, Pollutant.No2, Pollutant.So2];
    private static readonly Averaging[] TwentyFourHourOnly = [Averaging.TwentyFourHours];
    private static readonly Averaging[] EightHourOnly = [Averaging.EightHours];
    private static readonly Averaging[] OneHourOnly = [Averaging.OneHour];
    private static readonly Averaging[] FifteenMinuteOnly = [Averaging.FifteenMinutes];

    public override AqiStandardId Id => AqiStandardId.UkDaqi;

    public override string Name => "uk-daqi";

    public override ReferenceConditions ReferenceConditions => ReferenceConditions.TwentyCelsius;

    public override IReadOnlyList<AqiCategory> Categories => Scale;

    public override IReadOnlyList<Pollutant> Pollutants => Indexed;

    public override Unit NativeUnit(Pollutant pollutant) => Unit.MicrogramsPerCubicMetre;

    public override Averaging DefaultAveraging(Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 or Pollutant.Pm10 => Averaging.TwentyFourHours,
        Pollutant.O3 => Averaging.EightHours,
        Pollutant.So2 => Averaging.FifteenMinutes,
        _ => Averaging.OneHour,
    };

    public override IReadOnlyList<Averaging> AveragingsFor(Pollutant pollutant) => pollutant switch
    {
        Pollutant.Pm25 or Pollutant.Pm10 => TwentyFourHourOnly,
        Pollutant.O3 => EightHourOnly,
        Pollutant.No2 => OneHourOnly,
        Pollutant.So2 => FifteenMinuteOnly,
        _ => [],
    };

    private protected override SubIndex CalculateCore(Pollutant pollutant, double concentration, Averaging averaging)
    {
        var rounded = Math.Round(concentration, MidpointRounding.AwayFromZero);
        var bands = pollutant switch
        {
            Pollutant.Pm25 => Pm25,
            Pollutant.Pm10 => Pm10,
            Pollutant.O3 => O3,
            Pollutant.No2 => No2,
            _ => So2,
        };
        var index = bands.BandOf(rounded);
        return new SubIndex(Id, pollutant, averaging, AqiStatus.Ok, index, Scale[index - 1], rounded);
    }
}
