using System.Text;
using AirQuality.Cli.Ingest;

namespace AirQuality.Cli.Tests.Ingest;

/// <summary>Runs `airq` in-process like <see cref="CliRun"/>, with a skipping clock and fast, bounded retries.</summary>
internal static class AirqIngestRun
{
    /// <summary>The fixed "now" of these tests; readings in them are from the hours before it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    public static IngestEnvironment Environment(SkippingClock clock, int maxAttempts = 3) => new()
    {
        Time = clock,
        MaxAttempts = maxAttempts,
        FirstRetryDelay = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static Task<CliRun> RunAsync(SkippingClock clock, params string[] args) => RunAsync(Environment(clock), args);

    public static Task<CliRun> RunAsync(IngestEnvironment environment, params string[] args) => Task.Run(() =>
    {
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exit = AirqApp.Run(args, new CliConsole(input, output, error), environment);
        return new CliRun(exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    });
}
