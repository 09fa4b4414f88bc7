using System.CommandLine;
using System.Globalization;
using AirQuality.Cli.Ingest;
using AirQuality.Cli.Simulation;
using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Commands;

/// <summary>
/// `airq simulate`: synthetic sensors around real cities (<see cref="SensorSimulator"/>) posting to a host.
/// Readings carry simulated time. Simulated time runs at --speed times wall time from --start, and never
/// ahead of the clock: a backfill from a past --start at --speed max runs as fast as the host takes it until
/// it reaches the present, then goes on in real time.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Readings due sooner than this are sent now rather than waited for (they batch together).</summary>
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(200);

    private static readonly DateTimeOffset EarliestStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Command Create(CliConsole console, IngestEnvironment environment)
    {
        var sensors = new Option<int>("--sensors") { Description = "How many sensors (1 to 100000), spread over about 30 real cities.", Required = true };
        var interval = new Option<string>("--interval")
        {
            Description = "Time between a sensor's readings (default 145s, Sensor.Community's average).",
            DefaultValueFactory = _ => "145s",
        };
        var duration = new Option<string>("--duration") { Description = "Simulated time to cover, e.g. 10m, 6h, 7d.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same sensors and readings (default: a random one, printed)." };
        var start = new Option<string>("--start")
        {
            Description = "First simulated instant, ISO 8601 (e.g. 2026-01-05T00:00:00Z). Default: now, or now minus --duration when --speed is above 1.",
        };
        var speed = new Option<string>("--speed")
        {
            Description = "Simulated seconds per wall-clock second (default 1; 60 sends a minute of data per second); 0 or max: as fast as possible.",
            DefaultValueFactory = _ => "1",
        };
        var ingest = new IngestArguments();
        var command = new Command("simulate", "Simulate realistic low-cost air-quality sensors and post their readings to a host.")
        {
            sensors, interval, duration, seed, start, speed,
        };
        ingest.AddTo(command);
        command.SetAction(parsed =>
        {
            var count = parsed.GetValue(sensors);
            if (count is < 1 or > 100_000)
            {
                throw new UsageException($"--sensors must be between 1 and 100000, got {count}");
            }

            var every = Durations.Parse(parsed.GetValue(interval), "--interval");
            if (every < TimeSpan.FromSeconds(1) || every > TimeSpan.FromDays(1))
            {
                throw new UsageException("--interval must be between 1s and 1d");
            }

            var length = Durations.Parse(parsed.GetValue(duration), "--duration");
            if (length <= TimeSpan.Zero)
            {
                throw new UsageException("--duration must be positive");
            }

            var rate = ParseSpeed(parsed.GetValue(speed));
            var now = environment.Time.GetUtcNow();
            var from = parsed.GetValue(start) is { } text ? ParseStart(text, now) : rate > 1 ? now - length : now;
            var seedValue = parsed.GetResult(seed) is null ? Random.Shared.Next() : parsed.GetValue(seed);
            var target = ingest.Parse(parsed);

            var simulator = new SensorSimulator(count, every, seedValue);
            using var session = new IngestSession(console, environment, target);
            var run = new Run(session, simulator, from, from + length, rate);
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"simulating {count} sensors in {simulator.Sensors.Select(s => s.City).Distinct().Count()} cities, a reading every {Durations.Format(every)}, "
                + $"from {from.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} for {Durations.Format(length)} at speed {(double.IsPositiveInfinity(rate) ? "max" : rate.ToString(CultureInfo.InvariantCulture))}, seed {seedValue}"));
            return session.Run("simulated", run.RunAsync, run.Totals);
        });
        return command;
    }

    private static double ParseSpeed(string? text)
    {
        if (text is "max" or "0")
        {
            return double.PositiveInfinity;
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new UsageException($"--speed must be a positive number, 0 or max, got '{text}'");
    }

    private static DateTimeOffset ParseStart(string text, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var start))
        {
            throw new UsageException($"--start must be an ISO 8601 time like 2026-01-05T00:00:00Z, got '{text}'");
        }

        if (start < EarliestStart)
        {
            throw new UsageException($"--start must not be before {EarliestStart:yyyy-MM-dd} (the host rejects older readings)");
        }

        return start > now ? throw new UsageException("--start is in the future; simulated time never runs ahead of the clock") : start.ToUniversalTime();
    }

    private sealed class Run(IngestSession session, SensorSimulator simulator, DateTimeOffset start, DateTimeOffset end, double speed)
    {
        private long _generated;
        private DateTimeOffset? _last;

        public async Task<string?> RunAsync(CancellationToken cancellation)
        {
            var time = session.Time;
            var client = session.Client;
            var wallStart = time.GetTimestamp();
            var pending = new List<Reading>(client.BatchSize);
            foreach (var reading in simulator.Generate(start, end))
            {
                var wait = reading.Timestamp - time.GetUtcNow();
                if (!double.IsPositiveInfinity(speed))
                {
                    var due = ((reading.Timestamp - start) / speed) - time.GetElapsedTime(wallStart);
                    wait = due > wait ? due : wait;
                }

                if (wait >= ShortestWait)
                {
                    await SendAsync(pending, cancellation).ConfigureAwait(false);
                    session.Progress.Tick();
                    await Task.Delay(wait, time, cancellation).ConfigureAwait(false);
                }

                pending.Add(reading);
                _generated++;
                _last = reading.Timestamp;
                if (pending.Count >= client.BatchSize)
                {
                    await SendAsync(pending, cancellation).ConfigureAwait(false);
                }
            }

            await SendAsync(pending, cancellation).ConfigureAwait(false);
            return null;
        }

        public string Totals() => _last is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"{_generated} readings generated, the last at {last.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}")
            : $"{_generated} readings generated";

        private async Task SendAsync(List<Reading> pending, CancellationToken cancellation)
        {
            if (pending.Count == 0)
            {
                return;
            }

            var batch = pending.ToArray();
            pending.Clear();
            await session.Client.SendAsync(batch, null, cancellation).ConfigureAwait(false);
        }
    }
}
