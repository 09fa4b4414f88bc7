using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// The embedded host on a real loopback socket (the test server's in-memory sockets buffer without limit and
/// never reset), with the WebSocket meters and the host's logs captured from the start.
/// </summary>
public sealed class SocketServerFixture : IAsyncLifetime
{
    /// <summary>Small bounds, so a few large answers reach them.</summary>
    public const int MaxQueuedBytes = 512 * 1024;

    public const int MaxQueuedMessages = 50;

    public SocketServerFixture()
    {
        Host = new HostFactory(
            new Dictionary<string, string>
            {
                ["Gateway:MaxQueuedBytesPerConnection"] = MaxQueuedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Gateway:MaxQueuedMessagesPerConnection"] = MaxQueuedMessages.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Gateway:MaxComplexity"] = "100000000",
                ["Gateway:RateLimitPermits"] = "0",
            },
            services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    public HostFactory Host { get; }

    public LogCapture Logs { get; } = new();

    public SocketMeters Meters { get; private set; } = null!;

    public Uri Url { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Url = Host.StartOnLoopback();
        Meters = new SocketMeters(Host.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Meters.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class WebSocketHardeningTests(SocketServerFixture fixture) : IClassFixture<SocketServerFixture>
{
    /// <summary>Four copies of the schema's types with their fields and arguments: an answer of tens of kilobytes.</summary>
    private const string LargeAnswer = """
        { a: __schema { ...all } b: __schema { ...all } c: __schema { ...all } d: __schema { ...all } }
        fragment all on __Schema { types { name kind description fields { name description args { name description type { name kind } } type { name kind ofType { name kind ofType { name kind } } } } } }
        """;

    [Fact]
    public async Task A_client_that_never_reads_is_closed_with_1013_and_what_it_had_queued_is_released()
    {
        // A tiny receive buffer: the kernel holds little, so the server's own queue is what fills.
        await using var client = await RawWebSocket.ConnectAndInitAsync(fixture.Url, receiveBufferBytes: 4096);
        var before = fixture.Meters.ClosedWith(1013);

        for (var i = 0; i < 3_000 && !fixture.Meters.Now(m => m.ClosedWith(1013) > before); i++)
        {
            await client.SendAsync(new { id = $"q{i}", type = "subscribe", payload = new { query = LargeAnswer } });
        }

        await fixture.Meters.WaitUntilAsync(m => m.ClosedWith(1013) > before, "close for a full outgoing queue");
        Assert.InRange(fixture.Meters.PeakQueuedBytes, 1, SocketServerFixture.MaxQueuedBytes);
        Assert.InRange(fixture.Meters.PeakQueuedMessages, 1, SocketServerFixture.MaxQueuedMessages);

        // Reading now gets what the kernel held, then the close frame with the code.
        Assert.Equal(1013, await client.DrainUntilClosedAsync());

        // Once the connection has ended the server holds nothing of it.
        await fixture.Meters.WaitUntilAsync(m => m.Connections == 0, "end of every connection");
        Assert.Equal(0, fixture.Meters.QueuedBytes);
        Assert.Equal(0, fixture.Meters.QueuedMessages);
    }

    [Fact]
    public async Task Clients_that_drop_with_a_tcp_reset_leave_no_error_in_the_log()
    {
        const int Drops = 200;
        var dropped = 0;
        await Parallel.ForAsync(0, Drops, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var client = await RawWebSocket.ConnectAndInitAsync(fixture.Url);
            client.Reset();
            await client.DisposeAsync();
            Interlocked.Increment(ref dropped);
        });
        Assert.Equal(Drops, dropped);

        await fixture.Meters.WaitUntilAsync(m => m.Connections == 0, "end of every dropped connection");

        // A connection made after the drops is served: its round trip also lets Kestrel finish with the others.
        await using (var after = await RawWebSocket.ConnectAndInitAsync(fixture.Url))
        {
            await after.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await after.ReceiveAsync()).GetProperty("type").GetString());
        }

        var problems = fixture.Logs.Entries
            .Where(e => e.Exceptions().Any(x => x is ObjectDisposedException)
                || (e.Level >= LogLevel.Error && (e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || e.Category.StartsWith("AirQuality.Gateway", StringComparison.Ordinal))))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

/// <summary>
/// The npm `ws` client (src/AirQuality.Gateway/dashboard/node_modules) provokes every refusal of the transport
/// against the real host on a loopback port and reports the close code it saw (node/close-codes.cjs).
/// Reading needs a key here, so refused credentials are part of it; the init timeout is short.
/// </summary>
public sealed class CloseCodeTests : IAsyncLifetime
{
    private const int Permits = 40;
    private readonly string _readerKey = ApiKeys.New();
    private readonly string _limitedKey = ApiKeys.New();
    private readonly HostFactory _host;
    private string _url = "";

    public CloseCodeTests()
    {
        _host = new HostFactory(new Dictionary<string, string>
        {
            ["Gateway:Auth:Reading"] = "Authenticated",
            ["Gateway:Auth:ApiKeys:0:Name"] = "node-reader",
            ["Gateway:Auth:ApiKeys:0:Sha256"] = ApiKeys.Sha256Of(_readerKey),
            ["Gateway:Auth:ApiKeys:1:Name"] = "node-limited",
            ["Gateway:Auth:ApiKeys:1:Sha256"] = ApiKeys.Sha256Of(_limitedKey),
            ["Gateway:ConnectionInitTimeout"] = "00:00:02",
            ["Gateway:RateLimitPermits"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:RateLimitWindow"] = "01:00:00",
        });
    }

    public Task InitializeAsync()
    {
        _url = _host.StartOnLoopback().GetLeftPart(UriPartial.Authority);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_ws_client_receives_the_documented_close_code_for_every_refusal()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "node", "close-codes.cjs");
        var modules = Path.Combine(Repository.Root(), "src", "AirQuality.Gateway", "dashboard", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "ws")), $"the npm ws package is missing under {modules}: run npm ci in src/AirQuality.Gateway/dashboard");

        var start = new ProcessStartInfo("node", [script, _url, _readerKey, _limitedKey, Permits.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = modules },
        };
        Process node;
        try
        {
            node = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Node.js ('node') is not on PATH; this test runs the npm ws client with it ({e.Message}). Install Node.js 20 or later.");
            return;
        }

        using (node)
        {
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120)); // only against a hang
            await node.WaitForExitAsync(guard.Token);
            Assert.True(node.ExitCode == 0, $"exit {node.ExitCode}: {await output} {await errors}");

            using var seen = JsonDocument.Parse(await output);
            var codes = seen.RootElement.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("code").GetInt32());
            var expected = new Dictionary<string, int>
            {
                ["invalid-message"] = 4400,
                ["init-payload-not-an-object"] = 4400,
                ["binary-message"] = 4400,
                ["subscribe-before-ack"] = 4401,
                ["init-without-credentials"] = 4403,
                ["init-with-a-wrong-key"] = 4403,
                ["no-init"] = 4408,
                ["duplicate-id"] = 4409,
                ["second-init"] = 4429,
                ["message-too-big"] = 1009,
                ["client-closes"] = 1000,
            };
            Assert.Equal(expected.OrderBy(e => e.Key), codes.Where(c => expected.ContainsKey(c.Key)).OrderBy(c => c.Key));

            // Operations past the per-client limit get an error each; the socket stays open and closes normally.
            var limited = seen.RootElement.GetProperty("rate-limited");
            Assert.Equal(Permits, limited.GetProperty("completed").GetInt32());
            Assert.Equal(5, limited.GetProperty("refused").GetInt32());
            Assert.True(limited.GetProperty("pong").GetBoolean());
            Assert.Equal(1000, limited.GetProperty("code").GetInt32());
        }
    }
}
