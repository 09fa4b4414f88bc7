using Microsoft.Data.Sqlite;

namespace AirQuality.Storage.Local.Outbox;

/// <summary>
/// Runs writes one transaction at a time, folding every write that arrived while the previous transaction
/// was committing into the next one. With synchronous=FULL each commit costs a disk sync; an alert storm (a
/// gateway going silent takes hundreds of sensors offline at once) then costs a few syncs instead of one per
/// alert, and the writers queue here rather than spinning on SQLite's busy lock until it times out.
/// </summary>
/// <remarks>
/// No background task: the caller that gets the writer's turn commits everything queued so far, its own
/// write included or already done. Each write runs inside a savepoint, so one failing write does not undo
/// the others in its transaction. A write's result is released only after its transaction committed.
/// </remarks>
internal sealed class GroupCommit(SqliteConnections connections) : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _queueGate = new();
    private List<Write> _queue = [];

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and returns its result once that transaction is durable.
    /// A write once started is finished; cancelling only stops a wait that has not begun it.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var write = new Write<T>(work);
        lock (_queueGate)
        {
            _queue.Add(write);
        }

        try
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_queueGate)
            {
                if (_queue.Remove(write))
                {
                    throw;
                }
            }

            return await write.Result.ConfigureAwait(false); // the transaction committing now has it
        }

        try
        {
            await CommitQueuedAsync().ConfigureAwait(false);
        }
        finally
        {
            _ = _turn.Release();
        }

        return await write.Result.ConfigureAwait(false);
    }

    public void Dispose() => _turn.Dispose();

    private async Task CommitQueuedAsync()
    {
        List<Write> batch;
        lock (_queueGate)
        {
            if (_queue.Count == 0)
            {
                return;
            }

            batch = _queue;
            _queue = [];
        }

        var done = new List<Write>(batch.Count);
        try
        {
            await using var connection = await connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var write in batch)
            {
                transaction.Save("write");
                try
                {
                    await write.RunAsync(connection, transaction).ConfigureAwait(false);
                    transaction.Release("write");
                    done.Add(write);
                }
                catch (SqliteException e)
                {
                    transaction.Rollback("write");
                    transaction.Release("write");
                    write.Fail(e);
                }
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing of this transaction is durable: every write in it fails (those failed already stay so).
            foreach (var write in batch)
            {
                write.Fail(e);
            }

            return;
        }

        foreach (var write in done)
        {
            write.Complete();
        }
    }

    private abstract class Write
    {
        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class Write<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work) : Write
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _value = await work(connection, transaction).ConfigureAwait(false);

        public override void Complete() => _result.TrySetResult(_value);

        public override void Fail(Exception error) => _result.TrySetException(error);
    }
}
