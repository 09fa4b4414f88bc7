using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Simulation;

/// <summary>How a simulated sensor misbehaves, besides the occasional lost reading every sensor has.</summary>
[Flags]
internal enum SensorBehaviour
{
    Normal = 0,

    /// <summary>Goes silent now and then, for 20 minutes to 5 hours (power, Wi-Fi).</summary>
    Flaky = 1,

    /// <summary>Now and then repeats its last values for 45 minutes to 8 hours (a hung sensor).</summary>
    StuckProne = 2,
}

/// <summary>One simulated sensor: where it stands and its own character.</summary>
/// <param name="Id">sim-&lt;city&gt;-&lt;n&gt;.</param>
/// <param name="City">The city it stands in.</param>
/// <param name="Location">Within a few km of the city centre.</param>
/// <param name="Behaviour">How it misbehaves.</param>
/// <param name="Bias">Multiplies its particulate readings (low-cost sensors differ from each other).</param>
/// <param name="CoarseRatio">Its typical PM10/PM2.5 ratio, at least 1.</param>
/// <param name="TemperatureBias">Added to its temperature readings (°C).</param>
internal sealed record SimulatedSensor(
    string Id,
    SimulatedCity City,
    SensorLocation Location,
    SensorBehaviour Behaviour,
    double Bias,
    double CoarseRatio,
    double TemperatureBias);
