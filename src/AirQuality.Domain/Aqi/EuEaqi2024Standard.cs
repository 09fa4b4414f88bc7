using AirQuality.Domain.Quantities;

namespace AirQuality.Domain.Aqi;

/// <summary>
/// The European Air Quality Index, 2024 revision (EEA, aligned with the WHO 2021 guidelines): hourly
/// concentrations in µg/m³ for every pollutant, six bands with upper-inclusive limits; the index is the
/// band number 1-6, the top band open.
/// </summary>
internal sealed class EuEaqi2024Standard : AqiStandard
{
    private static readonly AqiCategory[] Scale =
    [
        new("Good", "#50f0e6", 1, 1), new("Fair", "#50ccaa", 2, 2), new("Moderate", "#f0e641", 3, 3),
        new("Poor", "#ff5050", 4, 4), new("Very poor", "#960032", 5, 5), new("Extremely poor", "#7d2181", 6, 6),
    ];

    private static readonly UpperLimitBands Pm25 = new(5, 15, 50, 90, 140);
    private static readonly UpperLimitBands Pm10 = new(15, 45, 120, 195, 270);
    private static readonly UpperLimitBands No2 = new(10, 25, 60, 100, 150);
    private static readonly UpperLimitBands O3 = new(60, 100, 120, 160, 180);
    private static readonly UpperLimitBands So2 = new(20, 40, 125, 190, 275);

    private static readonly Pollutant[] Indexed = [Pollutant.Pm25, Pollutant.Pm10, Pollutant.No2, Pollutant.O3, Pollutant.So2];
    private static readonly Averaging[] OneHourOnly = [Averaging.OneHour];

    public override AqiStandardId Id => AqiStandardId.EuEaqi2024;

    public override string Name => "eu-eaqi-2024";

    public override ReferenceConditions ReferenceConditions => ReferenceConditions.TwentyCelsius;

    public override IReadOnlyList<AqiCategory> Categories => Scale;

    public override IReadOnlyList<Pollutant> Pollutants => Indexed;

    public override Unit NativeUnit(Pollutant pollutant) => Unit.MicrogramsPerCubicMetre;

    public override Averaging DefaultAveraging(Pollutant pollutant) => Averaging.OneHour;

    public override IReadOnlyList<Averaging> AveragingsFor(Pollutant pollutant) => pollutant == Pollutant.Co ? [] : OneHourOnly;

    private protected override SubIndex CalculateCore(Pollutant pollutant, double concentration, Averaging averaging)
    {
        var bands = pollutant switch
        {
            Pollutant.Pm25 => Pm25,
            Pollutant.Pm10 => Pm10,
            Pollutant.No2 => No2,
            Pollutant.O3 => O3,
            _ => So2,
        };
        var index = bands.BandOf(concentration);
        return new SubIndex(Id, pollutant, averaging, AqiStatus.Ok, index, Scale[index - 1], concentration);
    }
}
