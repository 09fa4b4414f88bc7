using AirQuality.Domain.Ingest;

namespace AirQuality.Domain.Tests.Ingest;

public class CheckpointTrackerTests
{
    [Fact]
    public void A_round_never_passes_a_position_still_in_flight()
    {
        var tracker = new CheckpointTracker();
        tracker.Completed(1, ["a"]);
        tracker.Completed(3, ["c"]); // 2 is still applying

        var round = tracker.BeginRound()!;
        Assert.Equal(1, round.Position);
        Assert.Equal(["a", "c"], round.Sensors.Order());

        tracker.Succeeded(round);
        tracker.Completed(2, ["b"]);
        var next = tracker.BeginRound()!;
        Assert.Equal(3, next.Position); // 2 and 3 done now; c was written by the round before
        Assert.Equal(["b"], next.Sensors);
    }

    [Fact]
    public void An_abandoned_round_gives_its_sensors_to_the_next_and_checkpoints_nothing()
    {
        var tracker = new CheckpointTracker(checkpointed: 10);
        tracker.Completed(11, ["a", "b"]);
        var failed = tracker.BeginRound()!;
        tracker.Abandon(failed);
        Assert.Equal(10, tracker.Checkpointed);

        tracker.Completed(12, ["c"]);
        var retry = tracker.BeginRound()!;
        Assert.Equal(12, retry.Position);
        Assert.Equal(["a", "b", "c"], retry.Sensors.Order());
        tracker.Succeeded(retry);
        Assert.Equal(12, tracker.Checkpointed);
    }

    [Fact]
    public void Sensors_touched_after_a_round_began_belong_to_the_next_round()
    {
        var tracker = new CheckpointTracker();
        tracker.Completed(1, ["a"]);
        var round = tracker.BeginRound()!;
        tracker.Completed(2, ["a"]); // a took more readings while the round writes it: written again next time
        tracker.Succeeded(round);

        var next = tracker.BeginRound()!;
        Assert.Equal(2, next.Position);
        Assert.Equal(["a"], next.Sensors);
    }

    [Fact]
    public void Nothing_new_means_no_round()
    {
        var tracker = new CheckpointTracker(checkpointed: 5);
        Assert.Null(tracker.BeginRound());
        tracker.Completed(6, []); // an entry whose every sensor failed still completes its position
        var round = tracker.BeginRound()!;
        Assert.Equal(6, round.Position);
        Assert.Empty(round.Sensors);
    }

    [Fact]
    public void A_position_completed_twice_is_a_bug_and_says_so()
    {
        var tracker = new CheckpointTracker();
        tracker.Completed(1, []);
        tracker.Completed(3, []);
        Assert.Throws<InvalidOperationException>(() => tracker.Completed(1, []));
        Assert.Throws<InvalidOperationException>(() => tracker.Completed(3, []));
    }

    [Fact]
    public async Task Concurrent_completions_in_any_order_end_at_the_last_position()
    {
        var tracker = new CheckpointTracker();
        var positions = Enumerable.Range(1, 10_000).Select(i => (long)i).OrderBy(_ => Random.Shared.Next()).ToArray();
        var started = new bool[positions.Length + 1]; // set before a completion is reported
        var checkpointed = 0L;
        var rounds = Task.Run(() =>
        {
            // Rounds run while completions arrive; each must only ever move forward, over completed positions.
            while (Volatile.Read(ref checkpointed) < positions.Length)
            {
                if (tracker.BeginRound() is { } round)
                {
                    for (var p = Volatile.Read(ref checkpointed) + 1; p <= round.Position; p++)
                    {
                        Assert.True(Volatile.Read(ref started[p]), $"round to {round.Position} passed {p}, which had not completed");
                    }

                    tracker.Succeeded(round);
                    Volatile.Write(ref checkpointed, round.Position);
                }
            }
        });
        Parallel.ForEach(positions, p =>
        {
            Volatile.Write(ref started[p], true);
            tracker.Completed(p, [$"s{p % 100}"]);
        });
        await rounds.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(positions.Length, tracker.Checkpointed);
    }
}
