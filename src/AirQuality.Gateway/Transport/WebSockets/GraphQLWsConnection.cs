using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Schema;
using GraphQL;
using GraphQL.Transport;
using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>
/// One client connection speaking graphql-transport-ws. Everything the server sends goes through one bounded
/// <see cref="Outbox"/> in order (a WebSocket allows one send at a time, and a close must follow the messages
/// before it); a client that lets it fill is closed with 1013. Credentials sent in connection_init
/// ({"apiKey": "…"} or {"authorization": "Bearer …"}) replace those of the upgrade request's headers; wrong ones,
/// or none where reading needs some, close the socket with 4403. Each operation takes a permit of the client's
/// rate-limit budget, the one its HTTP requests draw on; one past it gets an error message of its own.
/// </summary>
/// <remarks>
/// Closing is a handshake: the server's close frame goes out after what was queued before it, and the receive
/// loop goes on reading (and dropping) until the client's answering close, so the client sees the code rather
/// than a dropped connection (1006). A client that does not answer within
/// <see cref="GatewayOptions.CloseHandshakeTimeout"/> is dropped.
/// </remarks>
#pragma warning disable CA1001 // _work is disposed where RunAsync ends, the connection's only way out.
internal sealed class GraphQLWsConnection(
    WebSocket socket,
    GraphQLRunner runner,
    IGraphQLTextSerializer serializer,
    GatewayOptions options,
    TimeProvider time,
    IServiceProvider services,
    ConnectionClient client,
    WebSocketMetrics metrics,
    ILogger logger)
#pragma warning restore CA1001
{
    private const int MaxCloseReasonBytes = 123;

    private readonly Outbox _outbox = new(options.MaxQueuedBytesPerConnection, options.MaxQueuedMessagesPerConnection, metrics);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);

    /// <summary>Cancelled when the connection starts closing: operations, keep-alive and the init guard stop.</summary>
    private readonly CancellationTokenSource _work = new();
    private bool _initReceived;
    private bool _workStopped;
    private Task _keepAlive = Task.CompletedTask;

    /// <summary>Set when connection_init was accepted (and acknowledged); operations run as this caller.</summary>
    private GatewayCaller? _caller;

    /// <summary>The rate-limit partition of the caller, set with it.</summary>
    private string? _budgetClient;

    private ConnectionAuth Auth => client.Auth;

    private ILogger Logger => logger;

    /// <summary>Runs until the close handshake is done or the connection is lost (<paramref name="aborted"/>: the request's).</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        metrics.Opened();

        // Disposed before _work below, and disposing waits for a callback already running: an abort arriving
        // as the connection ends can never cancel a disposed source (it did, in Kestrel's abort callback).
        var abortRegistration = aborted.Register(static state => ((GraphQLWsConnection)state!).StopWork(), this);
        var receiving = ReceiveLoopAsync(aborted);
        var sending = SendLoopAsync(aborted);
        var stopping = StopWhenClosingAsync(receiving);
        var initGuard = CloseUnlessInitialisedAsync(_work.Token);
        try
        {
            await receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished (a reset, the request aborted) or did not answer our close in time.
            GatewayLog.SocketLost(logger, e);
        }
        finally
        {
            // Nothing more is sent but a close frame already asked for (the answer to the client's close).
            _outbox.Complete();
            await SendingEndsAsync(sending);
            await stopping;
            StopWork();
            await abortRegistration.DisposeAsync();
            await Task.WhenAll(initGuard, _keepAlive);
            _work.Dispose();
            metrics.Ended();
        }
    }

    /// <summary>
    /// Waits for the send loop to hand out its last frame, for as long as a client is given to read it; a send
    /// stuck on a client that does not read is ended by dropping the connection.
    /// </summary>
    private async Task SendingEndsAsync(Task sending)
    {
        await sending.WaitAsync(options.CloseHandshakeTimeout, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!sending.IsCompleted)
        {
            socket.Abort();
        }

        await sending;
    }

    /// <summary>
    /// Once a close is asked for (or the connection is over), stops the work, then gives the client the close
    /// handshake timeout to read up to the close frame and answer it; a client that does not is dropped.
    /// </summary>
    private async Task StopWhenClosingAsync(Task receiving)
    {
        await _outbox.Closing;
        StopWork();

        // How the receive loop ends (an answer, an error) is seen where RunAsync awaits it; here only whether in time.
        await receiving.WaitAsync(options.CloseHandshakeTimeout, time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!receiving.IsCompleted)
        {
            socket.Abort();
        }
    }

    /// <summary>Ends every operation and cancels the connection's work; safe to call more than once.</summary>
    private void StopWork()
    {
        EndAllOperations();
        lock (_gate)
        {
            if (_workStopped)
            {
                return;
            }

            _workStopped = true;
        }

        _work.Cancel();
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

    /// <summary>
    /// Reads and handles messages until the client's close frame: its own close (answered with the same code) or
    /// its answer to ours. Once the server has asked to close, what still arrives is read and dropped.
    /// </summary>
    private async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var part = await socket.ReceiveAsync(buffer, aborted);
            if (part.MessageType == WebSocketMessageType.Close)
            {
                var code = socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? status : WebSocketCloseStatus.NormalClosure;
                _outbox.Close(code, "", dropQueued: true);
                return;
            }

            if (_outbox.IsClosing)
            {
                // After the server's close (the rest of a message too large, say) only the client's close counts.
                message.SetLength(0);
                continue;
            }

            if (part.MessageType == WebSocketMessageType.Binary)
            {
                Close(CloseCodes.BadRequest, "Binary messages are not supported");
                continue;
            }

            if (message.Length + part.Count > options.MaxRequestBytes)
            {
                Close(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {options.MaxRequestBytes} bytes");
                continue;
            }

            message.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                await HandleAsync(text);
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

        var caller = Auth.FromHeaders;
        var payload = message.TryGetProperty("payload", out var p) ? p : default;
        if (payload.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            // The protocol's payload is an object (connectionParams) or absent; anything else is a malformed message.
            Close(CloseCodes.BadRequest, "Invalid message received");
            return;
        }

        if (!InitCredentials.TryRead(payload, out var apiKey, out var authorization))
        {
            Close(CloseCodes.Forbidden, "Forbidden");
            return;
        }

        if (apiKey is not null || authorization is not null)
        {
            var (fromPayload, refused) = await Auth.Authenticator.AuthenticateAsync(apiKey, authorization, _work.Token);
            if (refused is not null)
            {
                Close(CloseCodes.Forbidden, "Forbidden");
                return;
            }

            caller = fromPayload;
        }

        if (Auth.Access.Check(caller, operation: null) is not null)
        {
            Close(CloseCodes.Forbidden, "Forbidden");
            return;
        }

        lock (_gate)
        {
            _caller = caller;
            _budgetClient = ClientRateLimit.ClientOf(caller, client.Address);
        }

        Send(new { type = "connection_ack" });
        _keepAlive = KeepAliveAsync(_work.Token);
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

            // Every operation is a request to the per-client limit, as it would be over HTTP.
            using var permit = client.Budget.Take(_budgetClient!);
            if (!permit.IsAcquired)
            {
                metrics.RateLimited();
                Send(new { type = "error", id, payload = new[] { ClientRateLimit.Refused(permit) } });
                return;
            }

            operation = new Operation(CancellationTokenSource.CreateLinkedTokenSource(_work.Token));
            _operations.Add(id, operation);
        }

        // A subscription is set up before the next message is read, so a client that sees the answer to a later
        // message (a pong) knows its subscription is listening. Queries and mutations run alongside.
        var document = OperationPlan.TryParse(request.Query!);
        var kind = document is null ? null : OperationPlan.Select(document, request.OperationName);

        // A mutation without the role (or anything, once a token has expired) is refused for this operation alone.
        if (Auth.Access.Check(caller, kind) is { } denial)
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

    /// <summary>Queues a message; one that does not fit closes the connection with 1013, letting go of what was queued.</summary>
    private void Send(object message)
    {
        if (_outbox.TryQueue(Encoding.UTF8.GetBytes(serializer.Serialize(message))) == Outbox.Result.Full)
        {
            var reason = $"Outgoing queue full ({options.MaxQueuedMessagesPerConnection} messages or {options.MaxQueuedBytesPerConnection} bytes): read what you ask for";
            RequestClose((WebSocketCloseStatus)CloseCodes.OutgoingQueueFull, reason, dropQueued: true);
        }
    }

    private void Close(int code, string reason) => Close((WebSocketCloseStatus)code, reason);

    /// <summary>Closes after what is already queued, so the client reads every answer before the reason.</summary>
    private void Close(WebSocketCloseStatus code, string reason) => RequestClose(code, reason, dropQueued: false);

    private void RequestClose(WebSocketCloseStatus code, string reason, bool dropQueued)
    {
        // A close frame's reason has room for 123 bytes (a long subscription id would not fit): cut, never fail.
        while (Encoding.UTF8.GetByteCount(reason) > MaxCloseReasonBytes)
        {
            reason = reason[..^1];
        }

        if (_outbox.Close(code, reason, dropQueued))
        {
            metrics.Closed((int)code);
            GatewayLog.SocketClosed(logger, (int)code, reason);
        }
    }

    private async Task SendLoopAsync(CancellationToken aborted)
    {
        try
        {
            while (await _outbox.NextAsync(aborted) is { } next)
            {
                if (next.Message is { } message)
                {
                    try
                    {
                        await socket.SendAsync(message, WebSocketMessageType.Text, true, aborted);
                    }
                    finally
                    {
                        _outbox.Sent();
                    }

                    continue;
                }

                // The receive loop waits for the client's answer; nothing follows a close.
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(next.Close!.Code, next.Close.Reason, aborted);
                }

                return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            GatewayLog.SocketLost(logger, e);
        }
    }

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
