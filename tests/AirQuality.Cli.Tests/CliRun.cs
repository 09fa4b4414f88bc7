using System.Text;
using System.Text.Json;

namespace AirQuality.Cli.Tests;

/// <summary>Runs `airq` in-process with its own stdin/stdout/stderr and keeps what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun WithStdin(string stdin, params string[] args) => WithStdin(Encoding.UTF8.GetBytes(stdin), args);

    public static CliRun WithStdin(byte[] stdin, params string[] args)
    {
        using var input = new MemoryStream(stdin);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exit = AirqApp.Run(args, new CliConsole(input, output, error));
        return new CliRun(exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    public static CliRun Of(params string[] args) => WithStdin([], args);

    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public JsonElement[] JsonLines => StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();

    /// <summary>Asserts the contract for bad arguments or input: exit 2, nothing on stdout, one line on stderr.</summary>
    public void AssertBadInput(string expectedInReason)
    {
        Assert.Equal(2, ExitCode);
        Assert.Equal("", Stdout);
        var line = Assert.Single(StderrLines);
        Assert.Contains(expectedInReason, line, StringComparison.OrdinalIgnoreCase);
    }
}
