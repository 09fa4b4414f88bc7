using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AirQuality.Gateway.Tests;

/// <summary>A graphql-transport-ws client over the test server's WebSocket client. Waits are bounded only as a failure guard.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly WebSocket _socket;

    private WsClient(WebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<WsClient> ConnectAsync<T>(WebApplicationFactory<T> host)
        where T : class
    {
        var client = host.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        using var timeout = new CancellationTokenSource(Guard);
        var socket = await client.ConnectAsync(new Uri(host.Server.BaseAddress, "graphql"), timeout.Token);
        Assert.Equal("graphql-transport-ws", socket.SubProtocol);
        return new WsClient(socket);
    }

    /// <summary>Connects and completes connection_init / connection_ack.</summary>
    public static async Task<WsClient> ConnectAndInitAsync<T>(WebApplicationFactory<T> host)
        where T : class
    {
        var client = await ConnectAsync(host);
        await client.SendAsync(new { type = "connection_init" });
        Assert.Equal("connection_ack", (await client.ReceiveAsync()).GetProperty("type").GetString());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Guard);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message; fails the test when the server closes instead.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        var message = await ReceiveOrCloseAsync();
        Assert.True(message is not null, $"the server closed the socket: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        return message.Value;
    }

    /// <summary>The next message, or null when the server closed the socket (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var part = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (part.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            text.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                return JsonDocument.Parse(text.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>Waits for the server to close the socket and returns the close code.</summary>
    public async Task<int?> ClosedWithAsync()
    {
        while (await ReceiveOrCloseAsync() is not null)
        {
        }

        return (int?)_socket.CloseStatus;
    }

    /// <summary>Sends ping and waits for pong: everything the server did for earlier messages is done.</summary>
    public async Task RoundTripAsync()
    {
        await SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ReceiveAsync()).GetProperty("type").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(Guard);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (WebSocketException)
            {
                // Already going away.
            }
        }

        _socket.Dispose();
    }
}
