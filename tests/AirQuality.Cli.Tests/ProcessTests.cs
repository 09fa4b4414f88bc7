using System.Diagnostics;

namespace AirQuality.Cli.Tests;

/// <summary>The real `airq` process: exit codes and streams as a shell sees them.</summary>
public class ProcessTests
{
    [Fact]
    public async Task Airq_prints_json_on_stdout_and_exits_0()
    {
        var (exit, stdout, stderr) = await RunAsync("aqi", "--standard", "us-epa-2024", "--pollutant", "pm25", "--value", "35.45");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("\"index\":100", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Airq_exits_2_with_one_line_on_stderr_for_bad_arguments()
    {
        var (exit, stdout, stderr) = await RunAsync("aqi", "--standard", "nope", "--pollutant", "pm25", "--value", "1");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("airq: unknown standard", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(typeof(AirqApp).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
