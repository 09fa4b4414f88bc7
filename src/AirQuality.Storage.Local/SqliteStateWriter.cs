using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AirQuality.Storage.Local;

/// <summary>
/// The one connection that writes a grain-state database. It runs on a thread of its own and commits the
/// writes that queued up during the previous commit together, in one transaction: one sync to disk for the
/// whole group (group commit), however many grains wrote.
/// </summary>
/// <remarks>
/// Why not a pooled connection per write: Microsoft.Data.Sqlite is synchronous underneath its async API, so
/// each write held an Orleans scheduler thread for its fsync, and SQLite lets one writer in at a time, so
/// the other connections sat in busy waits. Under load (10,000 sensors writing behind) that stalled the
/// silo for whole seconds. Here callers only enqueue and await; a failure in one write of a group never
/// fails the others (the group is retried one write per transaction).
/// </remarks>
internal sealed class SqliteStateWriter
{
    private const string InsertSql = """
        INSERT INTO grain_state (state_name, grain_id, etag, payload, modified_utc)
        VALUES ($state, $grain, $etag, $payload, $modified)
        ON CONFLICT (state_name, grain_id) DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE grain_state SET etag = $etag, payload = $payload, modified_utc = $modified
        WHERE state_name = $state AND grain_id = $grain AND etag = $expected;
        """;

    private const string DeleteSql = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $expected;";

    private const string ReadETagSql = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain;";

    private readonly Channel<StateWrite> _queue = Channel.CreateUnbounded<StateWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly Thread _thread;

    /// <param name="connection">An open connection, used by the writer's thread only from now on.</param>
    /// <param name="maxBatch">The most writes in one transaction.</param>
    /// <param name="name">The provider's name, for the thread's name.</param>
    public SqliteStateWriter(SqliteConnection connection, int maxBatch, string name)
    {
        _connection = connection;
        _maxBatch = maxBatch;
        _thread = new Thread(Run) { IsBackground = true, Name = $"sqlite-writer {name}" };
        _thread.Start();
    }

    /// <summary>Queues a write; the task completes once it is committed (or refused by its ETag).</summary>
    public Task<StateWriteOutcome> WriteAsync(StateWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new InvalidOperationException("The grain storage is stopped: no more writes are taken.");
        }

        return write.Done.Task;
    }

    /// <summary>Takes no more writes, commits those queued, and closes the connection.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _ = _queue.Writer.TryComplete();
        return _stopped.Task.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        try
        {
            var batch = new List<StateWrite>(_maxBatch);
            // Blocking is the point: this thread is the database's and nothing else runs on it.
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                if (!TryCommit(batch, out var failure))
                {
                    if (batch.Count == 1)
                    {
                        _ = batch[0].Done.TrySetException(failure!);
                    }
                    else
                    {
                        // Find the one that failed without failing the others.
                        foreach (var write in batch)
                        {
                            if (!TryCommit([write], out var single))
                            {
                                _ = write.Done.TrySetException(single!);
                            }
                        }
                    }
                }

                batch.Clear();
            }
        }
        finally
        {
            _connection.Dispose();
            _stopped.TrySetResult();
        }
    }

    private bool TryCommit(List<StateWrite> batch, out Exception? failure)
    {
        var outcomes = new StateWriteOutcome[batch.Count];
        try
        {
            using (var transaction = _connection.BeginTransaction(deferred: false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    outcomes[i] = Apply(batch[i], transaction);
                }

                transaction.Commit();
            }

            for (var i = 0; i < batch.Count; i++)
            {
                _ = batch[i].Done.TrySetResult(outcomes[i]);
            }

            failure = null;
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            failure = ex;
            return false;
        }
    }

    private StateWriteOutcome Apply(StateWrite write, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = write.Kind switch
        {
            StateWriteKind.Insert => InsertSql,
            StateWriteKind.Update => UpdateSql,
            _ => DeleteSql,
        };
        _ = command.Parameters.AddWithValue("$state", write.StateName);
        _ = command.Parameters.AddWithValue("$grain", write.GrainId);
        if (write.Kind != StateWriteKind.Delete)
        {
            _ = command.Parameters.AddWithValue("$etag", write.NewETag);
            command.Parameters.Add("$payload", SqliteType.Blob).Value = write.Payload;
            _ = command.Parameters.AddWithValue("$modified", write.Modified);
        }

        if (write.Kind != StateWriteKind.Insert)
        {
            _ = command.Parameters.AddWithValue("$expected", write.ExpectedETag);
        }

        if (command.ExecuteNonQuery() > 0)
        {
            return StateWriteOutcome.Applied;
        }

        using var probe = _connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = ReadETagSql;
        _ = probe.Parameters.AddWithValue("$state", write.StateName);
        _ = probe.Parameters.AddWithValue("$grain", write.GrainId);
        return new StateWriteOutcome(false, probe.ExecuteScalar() as string);
    }
}

internal enum StateWriteKind : byte
{
    Insert,
    Update,
    Delete,
}

/// <summary>One write for <see cref="SqliteStateWriter"/>: insert (no ETag yet), update or delete (both conditional on the ETag).</summary>
internal sealed class StateWrite(StateWriteKind kind, string stateName, string grainId, string? expectedETag, string newETag, byte[]? payload, string modified)
{
    public StateWriteKind Kind => kind;

    public string StateName => stateName;

    public string GrainId => grainId;

    public string? ExpectedETag => expectedETag;

    public string NewETag => newETag;

    public byte[]? Payload => payload;

    public string Modified => modified;

    public TaskCompletionSource<StateWriteOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Applied, or refused because the stored ETag (null: no record) is not the one the grain holds.</summary>
internal readonly record struct StateWriteOutcome(bool Succeeded, string? StoredETag)
{
    public static readonly StateWriteOutcome Applied = new(true, null);
}
