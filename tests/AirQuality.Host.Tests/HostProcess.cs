using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AirQuality.Host.Tests;

/// <summary>
/// A real app as its own process (`dotnet AirQuality.Host.dll`, or the silo or gateway host) on a data directory, Kestrel on a free
/// loopback port: what a kill test needs, since only a separate process can be SIGKILLed mid-stream.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(string assemblyPath, string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        var (silo, gateway) = LoopbackPorts.FreePair();
        GatewayPort = gateway;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        var arguments = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["DataDirectory"] = dataDirectory,
            ["Orleans:Endpoints:SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:LogLevel:AirQuality.Ingest"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            arguments[key] = value;
        }

        foreach (var (key, value) in arguments)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["DOTNET_gcServer"] = "0"; // several hosts on 2 cores in one test run
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"The host exited with {_process.ExitCode} before it listened:\n{Output}"));
        _ = _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The Orleans gateway port it was given (a silo's, for a client to join).</summary>
    public int GatewayPort { get; }

    /// <summary>Where the host listens, once it does.</summary>
    public Uri Url { get; private set; } = null!;

    public int Id => _process.Id;

    /// <summary>Everything the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(200));
            }
        }
    }

    /// <summary>Starts a host and returns once it listens (it replays its ingest log before that) and is ready.</summary>
    public static Task<HostProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(typeof(Program).Assembly.Location, dataDirectory, settings);

    /// <summary>
    /// Starts another of the product's apps (<c>AirQuality.Silo.dll</c>, <c>AirQuality.GatewayHost.dll</c>) the same way:
    /// Kestrel on a free loopback port, Orleans ports of its own, returning once it listens and is ready.
    /// </summary>
    public static async Task<HostProcess> StartAsync(string assemblyPath, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = new HostProcess(assemblyPath, dataDirectory, settings);
        try
        {
            host.Url = await host._listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
            using var client = new HttpClient { BaseAddress = host.Url };
            var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            Assert.True(ready.IsSuccessStatusCode, $"/readyz answered {(int)ready.StatusCode}: {await ready.Content.ReadAsStringAsync()}");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no deactivation; waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a host: a graceful shutdown; waits until the process is gone.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _ = _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
