using System.Net;
using System.Text;

namespace AirQuality.Gateway.Tests;

/// <summary>Operations over a WebSocket count against the same per-client budget as HTTP requests.</summary>
public sealed class WebSocketRateLimitTests : IAsyncLifetime
{
    // Five per hour: the window cannot roll over during the test.
    private readonly HostFactory _host = new(new Dictionary<string, string>
    {
        ["Gateway:RateLimitPermits"] = "5",
        ["Gateway:RateLimitWindow"] = "01:00:00",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Http_requests_and_socket_operations_of_one_key_share_one_budget()
    {
        using var http = _host.CreateOperatorClient();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http)).StatusCode);

        // The key comes in connection_init, so the upgrade itself is counted for the address, not the key.
        await using var socket = await WsClient.ConnectAsync(_host);
        await socket.SendAsync(new { type = "connection_init", payload = new { apiKey = _host.OperatorKey } });
        Assert.Equal("connection_ack", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        for (var i = 0; i < 3; i++)
        {
            await socket.SubscribeAsync($"q{i}", "{ aqiScale(standard: UK_DAQI) { low } }");
            Assert.Equal("next", (await socket.ReceiveAsync()).GetProperty("type").GetString());
            Assert.Equal("complete", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        }

        // The sixth operation of the key, over the socket: refused for that operation alone.
        await socket.SubscribeAsync("over", "{ aqiScale(standard: UK_DAQI) { low } }");
        var refused = await socket.ReceiveAsync();
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("over", refused.GetProperty("id").GetString());
        Assert.Equal("RATE_LIMITED", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.StartsWith("too many requests", refused.GetProperty("payload")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        await socket.RoundTripAsync();

        // And HTTP for the same key is over the budget too.
        using var limited = await PostAsync(http);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        // The socket's own budget spent nothing of an anonymous client's: the upgrade was its only request.
        using var anonymous = _host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(anonymous)).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http) =>
        await http.PostAsync(
            new Uri("/graphql", UriKind.Relative),
            new StringContent("""{"query":"{ aqiScale(standard: EU_EAQI_2024) { low } }"}""", Encoding.UTF8, "application/json"));
}

public sealed class WebSocketSettingsTests
{
    [Theory]
    [InlineData("Gateway:MaxQueuedBytesPerConnection", 100, 500, 5)]
    [InlineData("Gateway:MaxQueuedMessagesPerConnection", 4096, 1, 5)]
    [InlineData("Gateway:CloseHandshakeTimeout", 4096, 500, 0)]
    [InlineData("Gateway:CloseHandshakeTimeout", 4096, 500, 120)]
    public void The_socket_limits_are_checked_and_named(string setting, int bytes, int messages, int closeSeconds)
    {
        var problems = new GatewayOptions
        {
            MaxQueuedBytesPerConnection = bytes,
            MaxQueuedMessagesPerConnection = messages,
            CloseHandshakeTimeout = TimeSpan.FromSeconds(closeSeconds),
        }.Problems().ToList();
        Assert.Single(problems);
        Assert.StartsWith(setting, problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new GatewayOptions().Problems());
    }
}
