using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests;

/// <summary>
/// The real host (silo, SQLite storage, file archive, endpoints) in this process, on a data directory and
/// Orleans ports of its own, so hosts can run side by side and a new host can reopen an old data directory.
/// </summary>
public sealed class HostFactory(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    private readonly (int Silo, int Gateway) _ports = FreePorts();

    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The silo's port, unless the settings give one: a test can check that a stopped host let it go.</summary>
    public int SiloPort => _ports.Silo;

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("airq-host-test-").FullName;

    /// <summary>
    /// Runs an ingest checkpoint round now: the archive flushed, every sensor that took readings written, the log
    /// checkpointed. What a test awaits before it reads the archive's files (they trail the 2xx by up to a round).
    /// </summary>
    public async Task CheckpointAsync()
    {
        var checkpointer = Services.GetRequiredService<AirQuality.Ingest.Pipeline.IngestCheckpointer>();
        Assert.True(await checkpointer.CheckpointAsync(CancellationToken.None), "the checkpoint round failed");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Orleans:Endpoints:SiloPort", _ports.Silo.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:Endpoints:GatewayPort", _ports.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", $"test-{Guid.NewGuid():N}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Whether <paramref name="port"/> can be listened on at 127.0.0.1 now (nothing in this process holds it).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Two free loopback ports, both held while the second is chosen so they cannot be the same one.</summary>
    private static (int First, int Second) FreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }
}
