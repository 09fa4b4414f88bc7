using System.Diagnostics;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// Clients nobody here wrote, against the real host on a real socket: the `graphql-ws` npm client and a
/// plain `fetch` client (src/AirQuality.Gateway/dashboard/conformance/clients.mjs, run with Node.js and the
/// dashboard's npm packages, which test.sh installs).
/// </summary>
public sealed class ConformanceTests() : HostTest(new HostFactory(HostSettings.WithPm25HighRule()), onLoopback: true)
{
    [Fact]
    public async Task The_graphql_ws_client_and_a_plain_fetch_client_get_what_the_specs_promise()
    {
        var dashboard = Path.Combine(Repository.Root(), "src", "AirQuality.Gateway", "dashboard");
        var start = new ProcessStartInfo("node", ["conformance/clients.mjs", Address])
        {
            WorkingDirectory = dashboard,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90)); // only against a hang
        await node.WaitForExitAsync(guard.Token);

        Assert.True(node.ExitCode == 0, $"exit {node.ExitCode}: {await output} {await errors}");
        Assert.Contains("\"ok\":true", await output, StringComparison.Ordinal);
    }
}
