using System.Reflection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AirQuality.Testing.Conformance;

/// <summary>
/// What every Orleans <see cref="IGrainStorage"/> of the project promises, whatever it stores in: a state never
/// written reads as a new, empty state with no ETag and no record; a write reads back as written; writes and clears
/// are optimistic (an ETag other than the stored one fails with <see cref="InconsistentStateException"/>, and every
/// write stores a new ETag); a clear deletes the record; states are kept apart by state name and by the whole grain id
/// (type and key); large states and concurrent writers to different grains lose nothing.
/// </summary>
/// <remarks>
/// An implementation runs these tests through a small subclass that makes a new, empty store for each test
/// (<see cref="CreateStorageAsync"/>) and can count what the store holds for a grain behind the provider's back
/// (<see cref="StoredRecordCountAsync"/>). The states are <see cref="StoredState"/>: the store's serializer must know
/// the types of <see cref="StateAssembly"/>.
/// </remarks>
public abstract class GrainStorageConformance : IAsyncLifetime
{
    protected const string StateName = "state";

    protected static readonly GrainId Grain = GrainId.Create("sensor", "dd-001");

    /// <summary>The assembly whose generated serializers the store under test must be given (that of <see cref="StoredState"/>).</summary>
    public static Assembly StateAssembly => typeof(StoredState).Assembly;

    /// <summary>The store under test, new for each test.</summary>
    protected IGrainStorage Storage { get; private set; } = null!;

    /// <summary>A new, empty store of the implementation under test.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    /// <summary>
    /// How many records the backing store holds for <paramref name="grainId"/> (of any state name), looked up in
    /// the store itself, not through the provider: what shows that a clear deleted the record.
    /// </summary>
    protected abstract Task<long> StoredRecordCountAsync(GrainId grainId);

    /// <summary>Lets the store go after a test; by default disposes it if it is disposable.</summary>
    protected virtual Task DisposeStorageAsync(IGrainStorage storage) => Disposal.DisposeIfDisposableAsync(storage);

    public async Task InitializeAsync() => Storage = await CreateStorageAsync();

    public Task DisposeAsync() => Storage is null ? Task.CompletedTask : DisposeStorageAsync(Storage);

    protected async Task<GrainState<StoredState>> ReadAsync(GrainId? grain = null, string stateName = StateName)
    {
        var state = new GrainState<StoredState>(new StoredState());
        await Storage.ReadStateAsync(stateName, grain ?? Grain, state);
        return state;
    }

    [Fact]
    public async Task A_state_never_written_reads_as_a_new_state_with_no_ETag_and_no_record()
    {
        var state = new GrainState<StoredState>(StoredState.Sample("left over"), "left-over-etag") { RecordExists = true };

        await Storage.ReadStateAsync(StateName, Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal("", state.State.Name);
        Assert.Empty(state.State.Values);
        Assert.Equal(0, await StoredRecordCountAsync(Grain));
    }

    [Fact]
    public async Task A_written_state_reads_back_as_it_was_written()
    {
        var written = new GrainState<StoredState>(StoredState.Sample("dd-001", entries: 20));

        await Storage.WriteStateAsync(StateName, Grain, written);

        var read = await ReadAsync();
        Assert.True(read.RecordExists);
        Assert.NotNull(read.ETag);
        Assert.Equal(written.ETag, read.ETag);
        StoredState.AssertSame(written.State!, read.State!);
        Assert.Equal(1, await StoredRecordCountAsync(Grain));
    }

    [Fact]
    public async Task Two_activations_holding_the_same_ETag_cannot_both_write()
    {
        var a = await ReadAsync();
        var b = await ReadAsync();
        Assert.False(a.RecordExists);
        Assert.Null(a.ETag);

        a.State = StoredState.Sample("a");
        await Storage.WriteStateAsync(StateName, Grain, a);
        b.State = StoredState.Sample("b");
        var insertConflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, b));
        Assert.Equal(a.ETag, insertConflict.StoredEtag);
        Assert.Null(b.ETag);

        await Storage.WriteStateAsync(StateName, Grain, a);
        b = await ReadAsync();
        Assert.Equal(a.ETag, b.ETag);
        Assert.Equal("a", b.State!.Name);
        await Storage.WriteStateAsync(StateName, Grain, b);

        var updateConflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, a));
        Assert.Equal(b.ETag, updateConflict.StoredEtag);
        Assert.NotEqual(a.ETag, b.ETag);
        Assert.Equal("a", (await ReadAsync()).State!.Name);
    }

    [Fact]
    public async Task A_write_with_an_ETag_of_a_record_that_does_not_exist_conflicts_and_stores_nothing()
    {
        var madeUp = new GrainState<StoredState>(StoredState.Sample("ghost"), "an-etag-never-stored");

        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, madeUp));

        Assert.False((await ReadAsync()).RecordExists);
        Assert.Equal(0, await StoredRecordCountAsync(Grain));
    }

    [Fact]
    public async Task Every_write_stores_a_new_ETag_and_marks_the_record_as_existing()
    {
        var state = await ReadAsync();
        var etags = new HashSet<string>();

        for (var i = 0; i < 3; i++)
        {
            state.State!.Name = $"v{i}";
            await Storage.WriteStateAsync(StateName, Grain, state);
            Assert.True(state.RecordExists);
            Assert.True(etags.Add(state.ETag!));
        }

        var read = await ReadAsync();
        Assert.Equal(state.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("v2", read.State!.Name);
    }

    [Fact]
    public async Task Clear_deletes_the_record_and_resets_ETag_RecordExists_and_state()
    {
        var state = await ReadAsync();
        state.State = StoredState.Sample("x");
        await Storage.WriteStateAsync(StateName, Grain, state);

        await Storage.ClearStateAsync(StateName, Grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State!.Name);
        Assert.Equal(0, await StoredRecordCountAsync(Grain));
        var read = await ReadAsync();
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);

        // Clearing what does not exist is a no-op.
        await Storage.ClearStateAsync(StateName, Grain, read);
    }

    [Fact]
    public async Task Clear_with_a_stale_ETag_conflicts_and_keeps_the_record()
    {
        var a = await ReadAsync();
        await Storage.WriteStateAsync(StateName, Grain, a);
        var stale = new GrainState<StoredState>(new StoredState(), a.ETag);
        await Storage.WriteStateAsync(StateName, Grain, a);
        var never = new GrainState<StoredState>(new StoredState());

        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, Grain, stale));
        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, Grain, never));

        Assert.Equal(1, await StoredRecordCountAsync(Grain));
    }

    [Fact]
    public async Task An_ETag_from_before_a_clear_cannot_overwrite_the_record_written_after_it()
    {
        var a = await ReadAsync();
        await Storage.WriteStateAsync(StateName, Grain, a);
        var b = await ReadAsync();
        await Storage.ClearStateAsync(StateName, Grain, a);
        a.State!.Name = "after clear";
        await Storage.WriteStateAsync(StateName, Grain, a);

        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, Grain, b));

        Assert.Equal("after clear", (await ReadAsync()).State!.Name);
    }

    [Fact]
    public async Task States_are_kept_apart_by_state_name_and_grain()
    {
        var other = GrainId.Create("sensor", "dd-002");
        foreach (var (name, grain) in new[] { ("state", Grain), ("history", Grain), ("state", other) })
        {
            var state = new GrainState<StoredState>(StoredState.Sample($"{name}@{grain}"));
            await Storage.WriteStateAsync(name, grain, state);
        }

        foreach (var (name, grain) in new[] { ("state", Grain), ("history", Grain), ("state", other) })
        {
            var state = new GrainState<StoredState>(new StoredState());
            await Storage.ReadStateAsync(name, grain, state);
            Assert.Equal($"{name}@{grain}", state.State!.Name);
        }
    }

    [Fact]
    public async Task Grains_of_different_types_with_the_same_key_are_kept_apart()
    {
        var sensor = GrainId.Create("sensor", "shared-key");
        var index = GrainId.Create("sensorindex", "shared-key");
        var sensorState = new GrainState<StoredState>(StoredState.Sample("the sensor"));
        await Storage.WriteStateAsync(StateName, sensor, sensorState);
        await Storage.WriteStateAsync(StateName, index, new GrainState<StoredState>(StoredState.Sample("the index")));

        Assert.Equal("the sensor", (await ReadAsync(sensor)).State!.Name);
        Assert.Equal("the index", (await ReadAsync(index)).State!.Name);

        await Storage.ClearStateAsync(StateName, sensor, sensorState);

        Assert.False((await ReadAsync(sensor)).RecordExists);
        var kept = await ReadAsync(index);
        Assert.True(kept.RecordExists);
        Assert.Equal("the index", kept.State!.Name);
        Assert.Equal(0, await StoredRecordCountAsync(sensor));
        Assert.Equal(1, await StoredRecordCountAsync(index));
    }

    [Fact]
    public async Task A_state_with_ten_thousand_entries_round_trips()
    {
        var state = StoredState.Sample("large", entries: 10_000);
        state.Hours = [.. Enumerable.Range(0, 10_000)];

        await Storage.WriteStateAsync(StateName, Grain, new GrainState<StoredState>(state));

        var read = await ReadAsync();
        Assert.Equal(10_000, read.State!.Values.Count);
        StoredState.AssertSame(state, read.State!);
    }

    [Fact]
    public async Task Concurrent_writers_to_different_grains_all_land()
    {
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("sensor", $"concurrent-{i:D3}")).ToArray();

        // Each writer writes its grain twice (the second write carries the first write's ETag), all at once.
        var written = await Task.WhenAll(grains.Select(grain => Task.Run(async () =>
        {
            var state = new GrainState<StoredState>(StoredState.Sample($"{grain} first"));
            await Storage.WriteStateAsync(StateName, grain, state);
            state.State = StoredState.Sample($"{grain} second");
            await Storage.WriteStateAsync(StateName, grain, state);
            return state;
        })));

        for (var i = 0; i < grains.Length; i++)
        {
            var read = await ReadAsync(grains[i]);
            Assert.True(read.RecordExists);
            Assert.Equal($"{grains[i]} second", read.State!.Name);
            Assert.Equal(written[i].ETag, read.ETag);
        }
    }
}
