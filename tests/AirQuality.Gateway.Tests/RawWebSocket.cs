using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// A graphql-transport-ws client on a plain TCP socket with the upgrade written by hand, so a test controls
/// what the kernel buffers (a small receive buffer makes a client that never reads push back at once) and can
/// drop the connection with a TCP reset instead of a close.
/// </summary>
public sealed class RawWebSocket : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawWebSocket(Socket socket, NetworkStream stream, WebSocket webSocket)
    {
        _socket = socket;
        _stream = stream;
        WebSocket = webSocket;
    }

    public WebSocket WebSocket { get; }

    /// <summary>Connects to the host's /graphql; <paramref name="receiveBufferBytes"/> above 0 fixes the socket's receive buffer.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri host, int receiveBufferBytes = 0)
    {
        using var timeout = new CancellationTokenSource(Guard);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferBytes > 0)
        {
            socket.ReceiveBufferSize = receiveBufferBytes;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port), timeout.Token);
        var stream = new NetworkStream(socket, ownsSocket: false);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var upgrade = $"GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:{host.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade), timeout.Token);

        // Byte by byte up to the blank line, so no frame after the response head is consumed here.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.True(await stream.ReadAsync(one, timeout.Token) == 1, "the server closed during the upgrade: " + head);
            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        var webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = false,
            SubProtocol = "graphql-transport-ws",
            KeepAliveInterval = TimeSpan.Zero,
        });
        return new RawWebSocket(socket, stream, webSocket);
    }

    /// <summary>Connects and completes connection_init / connection_ack.</summary>
    public static async Task<RawWebSocket> ConnectAndInitAsync(Uri host, int receiveBufferBytes = 0)
    {
        var client = await ConnectAsync(host, receiveBufferBytes);
        await client.SendAsync(new { type = "connection_init" });
        Assert.Equal("connection_ack", (await client.ReceiveAsync()).GetProperty("type").GetString());
        return client;
    }

    public async Task SendAsync(object message)
    {
        using var timeout = new CancellationTokenSource(Guard);
        await WebSocket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message; fails the test when the server closes instead.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var part = await WebSocket.ReceiveAsync(buffer, timeout.Token);
            Assert.True(part.MessageType != WebSocketMessageType.Close, $"the server closed the socket: {WebSocket.CloseStatus}");
            text.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                return JsonDocument.Parse(text.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads (and drops) everything up to the server's close frame, answers it, and returns its code.</summary>
    public async Task<int?> DrainUntilClosedAsync()
    {
        using var timeout = new CancellationTokenSource(Guard);
        var buffer = new byte[1024 * 1024];
        while ((await WebSocket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        var code = (int?)WebSocket.CloseStatus;
        await WebSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        return code;
    }

    /// <summary>Drops the connection with a TCP reset: no close frame, no FIN, as a client whose network vanished.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        WebSocket.Dispose();
        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
