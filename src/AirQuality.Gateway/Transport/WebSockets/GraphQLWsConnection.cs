using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Schema;
using GraphQL;
using GraphQL.Transport;
using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>
/// One client connection speaking graphql-transport-ws. Everything the server sends goes through one outbox
/// in order (a WebSocket allows one send at a time, and a close must follow the messages before it).
/// Credentials sent in connection_init ({"apiKey": "…"} or {"authorization": "Bearer …"}) replace those of the
/// upgrade request's headers; wrong ones, or none where reading needs some, close the socket with 4403.
/// </summary>
#pragma warning disable CA1001 // _lifetime is disposed where RunAsync ends, the connection's only way out.
internal sealed class GraphQLWsConnection(
    WebSocket socket,
    GraphQLRunner runner,
    IGraphQLTextSerializer serializer,
    GatewayOptions options,
    TimeProvider time,
    IServiceProvider services,
    ConnectionAuth auth,
    ILogger logger)
#pragma warning restore CA1001
{
    private readonly Channel<Outbound> _outbox = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private bool _initReceived;

    /// <summary>Set when connection_init was accepted (and acknowledged); operations run as this caller.</summary>
    private GatewayCaller? _caller;

    private ILogger Logger => logger;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var link = aborted.Register(_lifetime.Cancel);
        var sending = SendLoopAsync();
        var initGuard = CloseUnlessInitialisedAsync(_lifetime.Token);
        try
        {
            while (!_lifetime.IsCancellationRequested && await ReceiveAsync(_lifetime.Token) is { } text)
            {
                await HandleAsync(text);
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Closed by the server (the outbox sent the close frame) or the request was aborted.
        }
        finally
        {
            EndAllOperations();
            _outbox.Writer.TryComplete();
            await _lifetime.CancelAsync();
            await Task.WhenAll(sending, initGuard);
            _lifetime.Dispose();
        }
    }

    private async Task CloseUnlessInitialisedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.ConnectionInitTimeout, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_caller is not null)
            {
                return;
            }
        }

        Close(CloseCodes.InitTimeout, "Connection initialisation timeout");
    }

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        if (options.KeepAlive <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(options.KeepAlive, time, cancellationToken);
                Send(new { type = "ping" });
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    /// <summary>The next text message, or null when the client closed (or sent something that closed the connection).</summary>
    private async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var part = await socket.ReceiveAsync(buffer, cancellationToken);
            if (part.MessageType == WebSocketMessageType.Close)
            {
                Close(WebSocketCloseStatus.NormalClosure, "");
                return null;
            }

            if (part.MessageType == WebSocketMessageType.Binary)
            {
                Close(CloseCodes.BadRequest, "Binary messages are not supported");
                return null;
            }

            if (message.Length + part.Count > options.MaxRequestBytes)
            {
                Close(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {options.MaxRequestBytes} bytes");
                return null;
            }

            message.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private async Task HandleAsync(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            Close(CloseCodes.BadRequest, "Invalid message received");
            return;
        }

        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "connection_init":
                await InitialiseAsync(root);
                break;
            case "ping":
                Send(new { type = "pong" });
                break;
            case "pong":
                break;
            case "subscribe":
                await SubscribeAsync(root);
                break;
            case "complete":
                if (IdOf(root) is { } id)
                {
                    End(id);
                }

                break;
            default:
                Close(CloseCodes.BadRequest, "Invalid message received");
                break;
        }
    }

    private async Task InitialiseAsync(JsonElement message)
    {
        lock (_gate)
        {
            if (_initReceived)
            {
                Close(CloseCodes.TooManyInits, "Too many initialisation requests");
                return;
            }

            _initReceived = true;
        }

        var caller = auth.FromHeaders;
        var payload = message.TryGetProperty("payload", out var p) ? p : default;
        if (!InitCredentials.TryRead(payload, out var apiKey, out var authorization))
        {
            Close(CloseCodes.Forbidden, "Forbidden");
            return;
        }

        if (apiKey is not null || authorization is not null)
        {
            var (fromPayload, refused) = await auth.Authenticator.AuthenticateAsync(apiKey, authorization, _lifetime.Token);
            if (refused is not null)
            {
                Close(CloseCodes.Forbidden, "Forbidden");
                return;
            }

            caller = fromPayload;
        }

        if (auth.Access.Check(caller, operation: null) is not null)
        {
            Close(CloseCodes.Forbidden, "Forbidden");
            return;
        }

        lock (_gate)
        {
            _caller = caller;
        }

        Send(new { type = "connection_ack" });
        _ = KeepAliveAsync(_lifetime.Token);
    }

    private async Task SubscribeAsync(JsonElement message)
    {
        var id = IdOf(message);
        var request = id is null ? null : RequestOf(message);
        if (id is null || request is null)
        {
            Close(CloseCodes.BadRequest, "Invalid message received");
            return;
        }

        Operation operation;
        GatewayCaller caller;
        lock (_gate)
        {
            if (_caller is null)
            {
                Close(CloseCodes.Unauthorized, "Unauthorized");
                return;
            }

            caller = _caller;

            if (_operations.ContainsKey(id))
            {
                Close(CloseCodes.SubscriberExists, $"Subscriber for {id} already exists");
                return;
            }

            if (_operations.Count >= options.MaxSubscriptionsPerConnection)
            {
                Send(new { type = "error", id, payload = new[] { GatewayErrors.BadRequest($"at most {options.MaxSubscriptionsPerConnection} subscriptions per connection") } });
                return;
            }

            operation = new Operation(CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token));
            _operations.Add(id, operation);
        }

        // A subscription is set up before the next message is read, so a client that sees the answer to a later
        // message (a pong) knows its subscription is listening. Queries and mutations run alongside.
        var document = OperationPlan.TryParse(request.Query!);
        var kind = document is null ? null : OperationPlan.Select(document, request.OperationName);

        // A mutation without the role (or anything, once a token has expired) is refused for this operation alone.
        if (auth.Access.Check(caller, kind) is { } denial)
        {
            SendUnlessEnded(id, new { type = "error", id, payload = new[] { denial.Error } });
            End(id);
            return;
        }

        var running = RunOperationAsync(id, request, document, caller, operation);
        if (kind is GraphQLParser.AST.OperationType.Subscription)
        {
            await running;
        }
    }

    private async Task RunOperationAsync(string id, GraphQLRequest request, GraphQLParser.AST.GraphQLDocument? document, GatewayCaller caller, Operation operation)
    {
        ExecutionResult result;
        try
        {
            result = await runner.RunAsync(request, document, services, caller.Principal, operation.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (result.Streams is { Count: > 0 } streams)
        {
            operation.Attach(streams.Values.First().Subscribe(new Forwarder(this, id)));
            return;
        }

        if (result.Data is null && result.Errors is { Count: > 0 } errors)
        {
            SendUnlessEnded(id, new { type = "error", id, payload = errors });
        }
        else
        {
            SendUnlessEnded(id, new { type = "next", id, payload = result });
            SendUnlessEnded(id, new { type = "complete", id });
        }

        End(id);
    }

    /// <summary>Sends a message of an operation the client has not completed meanwhile.</summary>
    private void SendUnlessEnded(string id, object message)
    {
        lock (_gate)
        {
            if (_operations.ContainsKey(id))
            {
                Send(message);
            }
        }
    }

    private void End(string id)
    {
        Operation? operation;
        lock (_gate)
        {
            _operations.Remove(id, out operation);
        }

        operation?.Dispose();
    }

    private void EndAllOperations()
    {
        List<Operation> all;
        lock (_gate)
        {
            all = [.. _operations.Values];
            _operations.Clear();
        }

        all.ForEach(o => o.Dispose());
    }

    private static string? IdOf(JsonElement message) =>
        message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text ? text : null;

    private GraphQLRequest? RequestOf(JsonElement message)
    {
        if (!message.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            var request = serializer.Deserialize<GraphQLRequest>(payload.GetRawText());
            return string.IsNullOrWhiteSpace(request?.Query) ? null : request;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Send(object message) => _outbox.Writer.TryWrite(new Outbound(serializer.Serialize(message), null, null));

    private void Close(int code, string reason) => Close((WebSocketCloseStatus)code, reason);

    private void Close(WebSocketCloseStatus code, string reason) => _outbox.Writer.TryWrite(new Outbound(null, code, reason));

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var item in _outbox.Reader.ReadAllAsync(_lifetime.Token))
            {
                if (item.Text is { } text)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _lifetime.Token);
                    continue;
                }

                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(item.CloseCode!.Value, item.CloseReason, _lifetime.Token);
                    GatewayLog.SocketClosed(logger, (int)item.CloseCode.Value, item.CloseReason ?? "");
                }

                // Nothing follows a close; ending the lifetime stops the receive loop too.
                await _lifetime.CancelAsync();
                return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            GatewayLog.SocketLost(logger, e);
        }
    }

    private sealed record Outbound(string? Text, WebSocketCloseStatus? CloseCode, string? CloseReason);

    /// <summary>A running operation: cancelled by a client complete, the subscription cap's accounting, or the connection ending.</summary>
    private sealed class Operation(CancellationTokenSource cancellation) : IDisposable
    {
        private readonly Lock _gate = new();
        private IDisposable? _stream;
        private bool _disposed;

        public CancellationToken Token => cancellation.Token;

        public void Attach(IDisposable stream)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _stream = stream;
                    return;
                }
            }

            stream.Dispose();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
            }

            cancellation.Cancel();
            _stream?.Dispose();
            cancellation.Dispose();
        }
    }

    /// <summary>Forwards a subscription's results as next / error / complete messages.</summary>
    private sealed class Forwarder(GraphQLWsConnection connection, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => connection.SendUnlessEnded(id, new { type = "next", id, payload = value });

        public void OnError(Exception error)
        {
            var correlationId = Guid.NewGuid().ToString("N");
            GatewayLog.InternalError(connection.Logger, error, correlationId);
            connection.SendUnlessEnded(id, new { type = "error", id, payload = new[] { GatewayErrors.Internal(correlationId) } });
            connection.End(id);
        }

        public void OnCompleted()
        {
            connection.SendUnlessEnded(id, new { type = "complete", id });
            connection.End(id);
        }
    }
}
