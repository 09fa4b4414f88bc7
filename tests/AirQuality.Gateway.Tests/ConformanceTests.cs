using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// Clients nobody here wrote, against the real host on a real socket: the `graphql-ws` npm client and a
/// plain `fetch` client (src/AirQuality.Gateway/dashboard/conformance/clients.mjs, run with Node.js and the
/// dashboard's npm packages, which test.sh installs).
/// </summary>
public sealed class ConformanceTests : IAsyncLifetime
{
    private readonly GatewayHost _host = new(GatewayHost.WithPm25HighRule(("urls", "http://127.0.0.1:0")));

    private string _url = "";

    public Task InitializeAsync()
    {
        _host.UseKestrel(0);
        _host.StartServer();
        _url = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_graphql_ws_client_and_a_plain_fetch_client_get_what_the_specs_promise()
    {
        var dashboard = Path.Combine(RepositoryRoot(), "src", "AirQuality.Gateway", "dashboard");
        var start = new ProcessStartInfo("node", ["conformance/clients.mjs", _url])
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

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AirQuality.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AirQuality.sln not found above " + AppContext.BaseDirectory);
    }
}
