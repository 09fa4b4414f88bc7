using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Testing;

/// <summary>
/// The real host (silo, SQLite storage, file archive, ingest, endpoints, gateway) in this process, on a data
/// directory and loopback Orleans ports of its own, so hosts can run side by side and a new host can reopen an old
/// data directory. Settings configure limits or alert rules for one test class, and services replace or configure
/// components (e.g. the signing keys of bearer tokens). Every host knows one API key with the mutation role,
/// <see cref="OperatorKey"/>, made up at run time. In-memory (the test server) unless started on a real socket
/// with <see cref="StartOnLoopback"/>.
/// </summary>
public class HostFactory : WebApplicationFactory<Program>
{
    /// <summary>
    /// The operator key's index in Gateway:Auth:ApiKeys: far above those a test configures itself (from 0 on),
    /// so both lists merge.
    /// </summary>
    private const int OperatorKeyIndex = 99;

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly TempDirectory? _ownDirectory;
    private readonly (int Silo, int Gateway) _ports = LoopbackPorts.FreePair();
    private bool _onLoopback;

    /// <summary>A host on a new temporary data directory of its own, deleted when the host is disposed.</summary>
    public HostFactory(IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
        : this(new TempDirectory("airq-host-test-"), settings, services)
    {
    }

    /// <summary>A host on <paramref name="dataDirectory"/>, which is kept when the host is disposed so another host can reopen it.</summary>
    public HostFactory(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        DataDirectory = dataDirectory;
        _settings = settings ?? new Dictionary<string, string>();
        _services = services;
    }

    private HostFactory(TempDirectory directory, IReadOnlyDictionary<string, string>? settings, Action<IServiceCollection>? services)
        : this(directory.Path, settings, services)
    {
        _ownDirectory = directory;
    }

    public string DataDirectory { get; }

    /// <summary>The silo's port, unless the settings give one: a test can check that a stopped host let it go.</summary>
    public int SiloPort => _ports.Silo;

    /// <summary>The silo's Orleans gateway port (loopback), where a standalone gateway connects as a client.</summary>
    public int OrleansGatewayPort => _ports.Gateway;

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    /// <summary>An API key with the role AirQuality.Operator, for tests that run mutations.</summary>
    public string OperatorKey { get; } = ApiKeys.New();

    /// <summary>A new data directory for hosts to share one after another (not deleted by them).</summary>
    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("airq-host-test-").FullName;

    /// <summary>A client that sends <see cref="OperatorKey"/> with every request.</summary>
    public HttpClient CreateOperatorClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    /// <summary>
    /// Starts the host on Kestrel at a free port of 127.0.0.1, a real socket (as a browser, another process or the
    /// test server's missing back-pressure needs), and returns where it listens, e.g. http://127.0.0.1:41234/.
    /// </summary>
    public Uri StartOnLoopback()
    {
        _onLoopback = true;
        UseKestrel(0);
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

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
        ArgumentNullException.ThrowIfNull(builder);
        if (_onLoopback)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
        }

        builder.UseSetting("DataDirectory", DataDirectory);
        builder.UseSetting("Orleans:Endpoints:SiloPort", _ports.Silo.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:Endpoints:GatewayPort", _ports.Gateway.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", ClusterId);
        var operatorKey = $"Gateway:Auth:ApiKeys:{OperatorKeyIndex}";
        builder.UseSetting($"{operatorKey}:Name", "test-operator");
        builder.UseSetting($"{operatorKey}:Sha256", ApiKeys.Sha256Of(OperatorKey));
        builder.UseSetting($"{operatorKey}:Roles:0", "AirQuality.Operator");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _ownDirectory?.Dispose();
        GC.SuppressFinalize(this);
    }
}
