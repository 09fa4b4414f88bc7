using System.Net.WebSockets;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>
/// What one connection has waiting to be sent, in order, then at most one close frame. Bounded in bytes and in
/// messages (the one being sent counts until it is out), because a client that never reads would otherwise make
/// the server hold every answer it asks for. Past a bound the message is refused and the caller closes the
/// connection. A message is always accepted into an empty outbox, so one answer larger than the byte bound
/// can still go to a client that reads.
/// </summary>
internal sealed class Outbox(int maxBytes, int maxMessages, WebSocketMetrics metrics)
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _queued = new();
    private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _wake;
    private long _bytes;
    private int _inFlightBytes = -1;
    private CloseFrame? _close;
    private bool _closeTaken;
    private bool _completed;

    public enum Result
    {
        Queued,
        Full,
        Closed,
    }

    /// <summary>Completes when a close was requested or the outbox was completed: nothing more is accepted.</summary>
    public Task Closing => _closing.Task;

    public bool IsClosing => _closing.Task.IsCompleted;

    public Result TryQueue(byte[] message)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_close is not null || _completed)
            {
                return Result.Closed;
            }

            var count = _queued.Count + (_inFlightBytes >= 0 ? 1 : 0);
            if (count > 0 && (count >= maxMessages || _bytes + message.Length > maxBytes))
            {
                return Result.Full;
            }

            _queued.Enqueue(message);
            _bytes += message.Length;
            wake = TakeWaiter();
        }

        metrics.Queued(message.Length, 1);
        wake?.TrySetResult();
        return Result.Queued;
    }

    /// <summary>
    /// Asks for a close frame after what is queued (or instead of it, when <paramref name="dropQueued"/>); false
    /// when a close was asked for before (the first one wins) or the outbox is complete.
    /// </summary>
    public bool Close(WebSocketCloseStatus code, string reason, bool dropQueued)
    {
        TaskCompletionSource? wake;
        (long Bytes, int Count) dropped = default;
        lock (_gate)
        {
            if (_close is not null || _completed)
            {
                return false;
            }

            _close = new CloseFrame(code, reason);
            if (dropQueued)
            {
                dropped = DropQueued();
            }

            wake = TakeWaiter();
        }

        metrics.Queued(-dropped.Bytes, -dropped.Count);
        wake?.TrySetResult();
        _closing.TrySetResult();
        return true;
    }

    /// <summary>
    /// The connection is over: nothing more is accepted and unsent messages are let go. A close frame asked for
    /// before is still handed out (it answers a client's close, or tells it why).
    /// </summary>
    public void Complete()
    {
        TaskCompletionSource? wake;
        (long Bytes, int Count) dropped;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            dropped = DropQueued();
            wake = TakeWaiter();
        }

        metrics.Queued(-dropped.Bytes, -dropped.Count);
        wake?.TrySetResult();
        _closing.TrySetResult();
    }

    /// <summary>The next message (call <see cref="Sent"/> once it is out), then the close frame if one was asked for, then null.</summary>
    public async ValueTask<Outgoing?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task waiting;
            lock (_gate)
            {
                if (_queued.TryDequeue(out var message))
                {
                    _inFlightBytes = message.Length;
                    return new Outgoing(message, null);
                }

                if (_close is not null && !_closeTaken)
                {
                    _closeTaken = true;
                    return new Outgoing(null, _close);
                }

                if (_completed || _closeTaken)
                {
                    return null;
                }

                _wake ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiting = _wake.Task;
            }

            await waiting.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The message <see cref="NextAsync"/> handed out is sent, or will never be: it no longer counts.</summary>
    public void Sent()
    {
        int bytes;
        lock (_gate)
        {
            if (_inFlightBytes < 0)
            {
                return;
            }

            bytes = _inFlightBytes;
            _inFlightBytes = -1;
            _bytes -= bytes;
        }

        metrics.Queued(-bytes, -1);
    }

    private (long Bytes, int Count) DropQueued()
    {
        var count = _queued.Count;
        var bytes = _queued.Sum(m => (long)m.Length);
        _queued.Clear();
        _bytes -= bytes;
        return (bytes, count);
    }

    private TaskCompletionSource? TakeWaiter()
    {
        var wake = _wake;
        _wake = null;
        return wake;
    }

    public sealed record CloseFrame(WebSocketCloseStatus Code, string Reason);

    public readonly record struct Outgoing(byte[]? Message, CloseFrame? Close);
}
