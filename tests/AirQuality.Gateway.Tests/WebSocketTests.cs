using System.Text.Json;

namespace AirQuality.Gateway.Tests;

/// <summary>A host with a pm2.5 threshold rule and two subscriptions per connection.</summary>
public sealed class SocketHostFixture : IAsyncLifetime
{
    public HostFactory Host { get; } = new(HostSettings.WithPm25HighRule(("Gateway:MaxSubscriptionsPerConnection", "2")));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class WebSocketTests(SocketHostFixture fixture) : IClassFixture<SocketHostFixture>
{
    private const string AlertChanged = "subscription($id: ID) { alertChanged(sensorId: $id) { id sensorId rule state severity raisedAt acknowledgedAt } }";

    [Fact]
    public async Task Init_is_acknowledged_and_ping_answered_with_pong()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.RoundTripAsync();
    }

    [Fact]
    public async Task Subscribe_before_ack_closes_with_4401()
    {
        await using var client = await WsClient.ConnectAsync(fixture.Host);
        await client.SubscribeAsync("1", "{ aqiScale(standard: UK_DAQI) { low } }");
        Assert.Equal(4401, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_second_init_closes_with_4429()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SendAsync(new { type = "connection_init" });
        Assert.Equal(4429, await client.ClosedWithAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\":\"unknown\"}")]
    [InlineData("{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ __typename }\"}}")]
    public async Task An_invalid_message_closes_with_4400(string message)
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SendTextAsync(message);
        Assert.Equal(4400, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_duplicate_subscription_id_closes_with_4409()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("dup", AlertChanged, new { id = "ws-dup" });
        await client.SubscribeAsync("dup", AlertChanged, new { id = "ws-dup" });
        Assert.Equal(4409, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_subscription_over_the_cap_gets_an_error_and_the_others_keep_running()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("a", AlertChanged, new { id = "ws-cap" });
        await client.SubscribeAsync("b", AlertChanged, new { id = "ws-cap" });
        await client.SubscribeAsync("c", AlertChanged, new { id = "ws-cap" });

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("c", error.GetProperty("id").GetString());
        Assert.Equal("at most 2 subscriptions per connection", error.GetProperty("payload")[0].GetProperty("message").GetString());
        await client.RoundTripAsync();

        // Completing one frees a place.
        await client.SendAsync(new { id = "a", type = "complete" });
        await client.SubscribeAsync("d", AlertChanged, new { id = "ws-cap" });
        await client.RoundTripAsync();
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_with_1009()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SendTextAsync("{\"type\":\"ping\",\"payload\":\"" + new string('x', 70 * 1024) + "\"}");
        Assert.Equal(1009, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_socket_without_the_graphql_transport_ws_subprotocol_is_refused()
    {
        var client = fixture.Host.Server.CreateWebSocketClient();
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => client.ConnectAsync(new Uri(fixture.Host.Server.BaseAddress, "graphql"), CancellationToken.None));
    }

    [Fact]
    public async Task A_query_over_the_socket_gets_next_then_complete()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("q", "{ aqiScale(standard: US_EPA_2024) { low category } }");
        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        Assert.Equal(0, next.GetProperty("payload").GetProperty("data").GetProperty("aqiScale")[0].GetProperty("low").GetInt32());
        var complete = await client.ReceiveAsync();
        Assert.Equal("complete", complete.GetProperty("type").GetString());
        Assert.Equal("q", complete.GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_invalid_subscription_document_gets_an_error_message()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("bad", "subscription { noSuchField }");
        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Contains("noSuchField", error.GetProperty("payload")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SensorUpdated_delivers_the_sensor_after_a_reading_changes_it()
    {
        var sensorId = $"ws-s-{Guid.NewGuid():N}";
        using var http = fixture.Host.CreateClient();
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("s", "subscription($id: ID!) { sensorUpdated(id: $id) { id latest { quantity value } } }", new { id = sensorId });
        await client.RoundTripAsync(); // subscribed once the pong is back

        await ReadingPosts.PostReadingAsync(http, sensorId, DateTimeOffset.UtcNow.AddMinutes(-1), 33.3);

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        var sensor = next.GetProperty("payload").GetProperty("data").GetProperty("sensorUpdated");
        Assert.Equal(sensorId, sensor.GetProperty("id").GetString());
        Assert.Equal(33.3, sensor.GetProperty("latest")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task AlertChanged_delivers_an_alert_raised_by_a_reading_and_its_acknowledgement()
    {
        var sensorId = $"ws-alert-{Guid.NewGuid():N}";
        using var http = fixture.Host.CreateOperatorClient();
        var graphql = new GraphQLClient(http);
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("alerts", AlertChanged, new { id = sensorId });
        await client.RoundTripAsync();

        await ReadingPosts.PostReadingAsync(http, sensorId, DateTimeOffset.UtcNow.AddMinutes(-1), 150);
        var raised = Alert(await client.ReceiveAsync(), "alerts");
        Assert.Equal(sensorId, raised.GetProperty("sensorId").GetString());
        Assert.Equal("pm25-high", raised.GetProperty("rule").GetString());
        Assert.Equal("ACTIVE", raised.GetProperty("state").GetString());
        Assert.Equal("critical", raised.GetProperty("severity").GetString());

        var alertId = raised.GetProperty("id").GetString()!;
        var listed = await graphql.DataAsync("query($s: ID!) { alerts(sensorId: $s, state: ACTIVE) { totalCount edges { node { id } } } }", new { s = sensorId });
        Assert.Equal(alertId, listed.GetProperty("alerts").GetProperty("edges")[0].GetProperty("node").GetProperty("id").GetString());

        var acknowledged = await graphql.DataAsync("mutation($id: ID!) { acknowledgeAlert(id: $id, note: \"on it\") { state acknowledgedAt } }", new { id = alertId });
        var across = await graphql.DataAsync("{ alerts(first: 500) { edges { node { id state } } } }");
        Assert.Contains(across.GetProperty("alerts").GetProperty("edges").EnumerateArray(), e =>
            e.GetProperty("node").GetProperty("id").GetString() == alertId && e.GetProperty("node").GetProperty("state").GetString() == "ACKNOWLEDGED");
        Assert.Equal("ACKNOWLEDGED", acknowledged.GetProperty("acknowledgeAlert").GetProperty("state").GetString());
        Assert.Equal("ACKNOWLEDGED", Alert(await client.ReceiveAsync(), "alerts").GetProperty("state").GetString());

        // After complete the server sends nothing more for that id; the ping proves the connection still works.
        await client.SendAsync(new { id = "alerts", type = "complete" });
        await client.RoundTripAsync();
    }

    [Fact]
    public async Task AlertChanged_in_a_bbox_skips_sensors_outside_it()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var http = fixture.Host.CreateClient();
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("box", "subscription { alertChanged(bbox: [2.2, 48.8, 2.5, 48.9]) { sensorId } }");
        await client.RoundTripAsync();

        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await ReadingPosts.PostReadingAsync(http, $"ws-lyon-{run}", at, 150, (45.76, 4.83, "FR"));
        await ReadingPosts.PostReadingAsync(http, $"ws-paris-{run}", at, 150, (48.85, 2.35, "FR"));
        Assert.Equal($"ws-paris-{run}", Alert(await client.ReceiveAsync(), "box").GetProperty("sensorId").GetString());
    }

    private static JsonElement Alert(JsonElement message, string id)
    {
        Assert.Equal("next", message.GetProperty("type").GetString());
        Assert.Equal(id, message.GetProperty("id").GetString());
        return message.GetProperty("payload").GetProperty("data").GetProperty("alertChanged");
    }
}

/// <summary>A host of its own for the short init timeout, so busy machines cannot make other socket tests miss it.</summary>
public sealed class InitTimeoutTests : IAsyncLifetime
{
    private readonly HostFactory _host = new(new Dictionary<string, string> { ["Gateway:ConnectionInitTimeout"] = "00:00:00.3" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Without_init_the_server_closes_with_4408()
    {
        await using var client = await WsClient.ConnectAsync(_host);
        Assert.Equal(4408, await client.ClosedWithAsync());
    }
}
