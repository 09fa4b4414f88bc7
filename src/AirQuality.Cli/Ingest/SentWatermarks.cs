using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Ingest;

/// <summary>
/// Per sensor, the latest reading timestamp the host has answered for, so that a polling importer sends
/// only what is newer than what it sent before. In memory and bounded: past <see cref="Capacity"/> sensors,
/// the quarter that has been silent longest is forgotten (if such a sensor comes back, the readings of it
/// still in the source are sent once more, which the host's idempotent ingest absorbs).
/// </summary>
internal sealed class SentWatermarks
{
    /// <summary>Default bound: well above the number of sensors Sensor.Community publishes (tens of thousands).</summary>
    public const int DefaultCapacity = 200_000;

    private readonly Dictionary<string, DateTimeOffset> _latest = new(StringComparer.Ordinal);

    public SentWatermarks(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 4);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _latest.Count;

    /// <summary>True when no reading of this sensor at or after this timestamp has been sent.</summary>
    public bool IsNew(Reading reading) => !_latest.TryGetValue(reading.SensorId, out var latest) || reading.Timestamp > latest;

    public void MarkSent(IReadOnlyList<Reading> readings)
    {
        foreach (var reading in readings)
        {
            if (!_latest.TryGetValue(reading.SensorId, out var latest) || reading.Timestamp > latest)
            {
                _latest[reading.SensorId] = reading.Timestamp;
            }
        }

        if (_latest.Count > Capacity)
        {
            var keep = Capacity * 3 / 4;
            var forget = _latest.OrderBy(p => p.Value).Take(_latest.Count - keep).Select(p => p.Key).ToList();
            foreach (var sensor in forget)
            {
                _latest.Remove(sensor);
            }
        }
    }
}
