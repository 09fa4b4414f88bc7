namespace AirQuality.Domain.Ingest;

/// <summary>
/// Decides how far a log of accepted readings may be checkpointed: the position up to which every entry's
/// readings are durable in sensor state, so the entries before it are never needed again. Positions are the
/// log's sequence numbers, consecutive from 1 (the local ingest log's, or an Event Hubs partition's).
/// </summary>
/// <remarks>
/// <para><b>The invariant this class enforces:</b> a checkpoint at position P is allowed only when every
/// position up to P has <see cref="Completed"/> (its readings were applied to their sensors, or their apply
/// failed and the client was told to retry) AND every sensor those positions touched has written its state
/// since. Until then the entries stay in the log, and a restart replays them; sensors apply readings
/// idempotently, so a replay changes nothing that was already written.</para>
/// <para>How: completions may arrive out of order (requests run concurrently); the checkpointable position
/// is the end of the unbroken run of completed positions. A <see cref="BeginRound"/> takes that position and
/// every sensor touched since the last round at the same instant, under one lock: each position up to it had
/// completed, so its sensors are in the set taken. The caller writes those sensors' state and, when every
/// write succeeded, checkpoints the round's position; when any failed it calls <see cref="Abandon"/> so the
/// sensors are written again by the next round.</para>
/// <para>Thread-safe. Memory: one entry per completed position above the unbroken run (only while an earlier
/// one is still in flight) and one per touched sensor until the next round.</para>
/// </remarks>
public sealed class CheckpointTracker
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _completedAhead = [];
    private HashSet<string> _touched = new(StringComparer.Ordinal);
    private long _contiguous;
    private long _checkpointed;

    /// <param name="checkpointed">The position already checkpointed: the next one expected is one after it.</param>
    public CheckpointTracker(long checkpointed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(checkpointed);
        _contiguous = checkpointed;
        _checkpointed = checkpointed;
    }

    /// <summary>The last position checkpointed (by a round whose writes all succeeded).</summary>
    public long Checkpointed
    {
        get
        {
            lock (_gate)
            {
                return _checkpointed;
            }
        }
    }

    /// <summary>The end of the unbroken run of completed positions: what the next round would checkpoint.</summary>
    public long Completable
    {
        get
        {
            lock (_gate)
            {
                return _contiguous;
            }
        }
    }

    /// <summary>Sensors touched since the last round (what the next round will write).</summary>
    public int PendingSensors
    {
        get
        {
            lock (_gate)
            {
                return _touched.Count;
            }
        }
    }

    /// <summary>
    /// The entry at <paramref name="position"/> is done: its readings were applied to <paramref name="sensors"/>
    /// (those whose apply succeeded). Call it exactly once per position, after the apply and whatever its outcome:
    /// a position never completed holds every later checkpoint back.
    /// </summary>
    public void Completed(long position, IEnumerable<string> sensors)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        lock (_gate)
        {
            if (position <= _contiguous)
            {
                throw new InvalidOperationException($"Position {position} completed twice, or below the checkpoint {_contiguous}.");
            }

            _touched.UnionWith(sensors);
            if (position != _contiguous + 1)
            {
                if (!_completedAhead.Add(position))
                {
                    throw new InvalidOperationException($"Position {position} completed twice.");
                }

                return;
            }

            _contiguous = position;
            while (_completedAhead.Remove(_contiguous + 1))
            {
                _contiguous++;
            }
        }
    }

    /// <summary>
    /// Takes the position a round may checkpoint and the sensors it must write first; null when there is nothing
    /// new to checkpoint and no sensor to write.
    /// </summary>
    public CheckpointRound? BeginRound()
    {
        lock (_gate)
        {
            if (_contiguous == _checkpointed && _touched.Count == 0)
            {
                return null;
            }

            var sensors = _touched;
            _touched = new HashSet<string>(StringComparer.Ordinal);
            return new CheckpointRound(_contiguous, sensors);
        }
    }

    /// <summary>Every sensor of the round has written its state and the log was checkpointed at its position.</summary>
    public void Succeeded(CheckpointRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        lock (_gate)
        {
            _checkpointed = Math.Max(_checkpointed, round.Position);
        }
    }

    /// <summary>Some writes of the round failed: its sensors are written again by the next round.</summary>
    public void Abandon(CheckpointRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        lock (_gate)
        {
            _touched.UnionWith(round.Sensors);
        }
    }
}

/// <summary>One checkpoint round: write every sensor's state, then checkpoint at <see cref="Position"/>.</summary>
public sealed record CheckpointRound(long Position, IReadOnlyCollection<string> Sensors);
