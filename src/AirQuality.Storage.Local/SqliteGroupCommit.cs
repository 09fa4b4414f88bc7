using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AirQuality.Storage.Local;

/// <summary>
/// The one writer of a SQLite database: a thread of its own that commits every write queued while the
/// previous transaction was committing in the next one (group commit), so a burst of writes from many
/// grains costs one sync to disk per group, not one per write.
/// </summary>
/// <remarks>
/// <para>Why a thread: Microsoft.Data.Sqlite is synchronous underneath its async API, so a write run by its
/// caller holds that caller's thread (an Orleans scheduler thread) through the fsync, and SQLite lets one
/// writer in at a time, so concurrent writers sat in busy waits. Under load that stalled a silo for whole
/// seconds. Here callers only queue and await.</para>
/// <para>Each write runs in a savepoint: one that fails is rolled back alone and fails alone; the others
/// of its group still commit. A write's result is released only once its transaction is durable.</para>
/// </remarks>
internal sealed class SqliteGroupCommit
{
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteConnections _connections;
    private readonly int _maxBatch;
    private SqliteConnection? _connection;

    public SqliteGroupCommit(SqliteConnections connections, int maxBatch, string name)
    {
        _connections = connections;
        _maxBatch = maxBatch;
        new Thread(Run) { IsBackground = true, Name = $"sqlite-writer {name}" }.Start();
    }

    /// <summary>
    /// Queues <paramref name="work"/> and returns its result once its transaction has committed. The work
    /// runs on the writer's thread; its awaits complete synchronously (Microsoft.Data.Sqlite). Cancelling
    /// stops the wait, not a write already queued.
    /// </summary>
    public Task<T> RunAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var write = new Write<T>(work);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new InvalidOperationException($"The SQLite database {_connections.DatabasePath} is closed: no more writes are taken.");
        }

        return write.Result.WaitAsync(cancellationToken);
    }

    /// <summary>Takes no more writes, commits those queued, and closes the writer's connection.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _ = _queue.Writer.TryComplete();
        return _stopped.Task.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        try
        {
            var batch = new List<Write>(_maxBatch);
            // Blocking is the point: this thread belongs to the database and nothing else runs on it.
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                Commit(batch);
                batch.Clear();
            }
        }
        finally
        {
            _connection?.Dispose();
            _stopped.TrySetResult();
        }
    }

    private void Commit(List<Write> batch)
    {
        var done = new List<Write>(batch.Count);
        try
        {
            _connection ??= _connections.OpenDedicatedAsync(CancellationToken.None).GetAwaiter().GetResult();
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var write in batch)
            {
                transaction.Save("write");
                try
                {
                    write.Run(_connection, transaction);
                    transaction.Release("write");
                    done.Add(write);
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException or FormatException)
                {
                    transaction.Rollback("write");
                    transaction.Release("write");
                    write.Fail(e);
                }
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // Nothing of this transaction is durable: every write in it fails (those failed already stay so),
            // and the next group starts on a fresh connection.
            foreach (var write in batch)
            {
                write.Fail(e);
            }

            _connection?.Dispose();
            _connection = null;
            return;
        }

        foreach (var write in done)
        {
            write.Complete();
        }
    }

    private abstract class Write
    {
        public abstract void Run(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class Write<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work) : Write
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;

        public Task<T> Result => _result.Task;

        public override void Run(SqliteConnection connection, SqliteTransaction transaction) =>
            _value = work(connection, transaction).GetAwaiter().GetResult();

        public override void Complete() => _result.TrySetResult(_value);

        public override void Fail(Exception error) => _result.TrySetException(error);
    }
}
