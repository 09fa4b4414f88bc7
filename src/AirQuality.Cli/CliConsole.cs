namespace AirQuality.Cli;

/// <summary>
/// The streams a command talks to. The process uses stdin/stdout/stderr; tests pass their own, so the
/// whole CLI runs in-process and its output can be asserted byte for byte.
/// </summary>
public sealed class CliConsole(Stream input, Stream output, TextWriter error)
{
    public Stream Input { get; } = input;

    /// <summary>Machine-readable results (JSON, NDJSON). Nothing else goes here.</summary>
    public Stream Output { get; } = output;

    /// <summary>Diagnostics for people: rejected records, summaries, the one-line reason of a failure.</summary>
    public TextWriter Error { get; } = error;

    public static CliConsole FromProcess() =>
        new(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
}
