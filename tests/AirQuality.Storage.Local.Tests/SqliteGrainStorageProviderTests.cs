using System.Text.Json;
using AirQuality.Storage.Local.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace AirQuality.Storage.Local.Tests;

/// <summary>The provider on its own (no silo): real DI registration, a fresh database per test.</summary>
public sealed class SqliteGrainStorageProviderTests : IDisposable
{
    private const string StateName = "state";
    private static readonly GrainId Grain = GrainId.Create("sensor", "dd-001");

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.Combine("grains.db");

    public void Dispose() => _directory.Dispose();

    private ServiceProvider Services(Action<SqliteGrainStorageOptions>? configure = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSerializer(serializer => serializer.AddAssembly(typeof(SensorState).Assembly))
            .AddSqliteGrainStorage(SqliteCluster.ProviderName, options =>
            {
                options.DatabasePath = DatabasePath;
                configure?.Invoke(options);
            });
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static SqliteGrainStorage Storage(ServiceProvider services) =>
        Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(SqliteCluster.ProviderName));

    private static async Task<GrainState<SensorState>> ReadAsync(SqliteGrainStorage storage)
    {
        var state = new GrainState<SensorState>(new SensorState());
        await storage.ReadStateAsync(StateName, Grain, state);
        return state;
    }

    [Fact]
    public async Task Two_activations_holding_the_same_ETag_cannot_both_write()
    {
        await using var services = Services();
        var storage = Storage(services);
        var a = await ReadAsync(storage);
        var b = await ReadAsync(storage);
        Assert.False(a.RecordExists);
        Assert.Null(a.ETag);

        a.State = SensorState.Sample("a");
        await storage.WriteStateAsync(StateName, Grain, a);
        b.State = SensorState.Sample("b");
        var insertConflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, b));
        Assert.Equal(a.ETag, insertConflict.StoredEtag);
        Assert.Null(b.ETag);

        await storage.WriteStateAsync(StateName, Grain, a);
        b = await ReadAsync(storage);
        Assert.Equal(a.ETag, b.ETag);
        Assert.Equal("a", b.State!.Name);
        await storage.WriteStateAsync(StateName, Grain, b);

        var updateConflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, a));
        Assert.Equal(b.ETag, updateConflict.StoredEtag);
        Assert.NotEqual(a.ETag, b.ETag);
        Assert.Equal("a", (await ReadAsync(storage)).State!.Name);
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_are_committed_together_and_all_land()
    {
        await using var services = Services(o => o.WriteBatchSize = 16);
        var storage = Storage(services);
        var grains = Enumerable.Range(0, 500).Select(i => GrainId.Create("sensor", $"g-{i}")).ToArray();

        // Started together, so they queue up behind one another's commits and go in groups of up to 16.
        await Task.WhenAll(grains.Select(g => storage.WriteStateAsync(StateName, g, new GrainState<SensorState>(SensorState.Sample(g.Key.ToString()!)))));

        foreach (var g in grains)
        {
            var read = new GrainState<SensorState>(new SensorState());
            await storage.ReadStateAsync(StateName, g, read);
            Assert.True(read.RecordExists);
            Assert.Equal(g.Key.ToString(), read.State!.Name);
        }
    }

    [Fact]
    public async Task A_stale_write_among_good_ones_fails_alone()
    {
        await using var services = Services();
        var storage = Storage(services);
        var stale = await ReadAsync(storage);
        var current = await ReadAsync(storage);
        current.State = SensorState.Sample("current");
        await storage.WriteStateAsync(StateName, Grain, current);

        stale.State = SensorState.Sample("stale");
        var others = Enumerable.Range(0, 100).Select(i => GrainId.Create("sensor", $"other-{i}")).ToArray();
        var writes = others.Select(g => storage.WriteStateAsync(StateName, g, new GrainState<SensorState>(SensorState.Sample("ok")))).ToList();
        var staleWrite = storage.WriteStateAsync(StateName, Grain, stale);
        writes.AddRange(others.Select(g => storage.WriteStateAsync(StateName, GrainId.Create("sensor", "more-" + g.Key), new GrainState<SensorState>(SensorState.Sample("ok")))));

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        Assert.Equal(current.ETag, conflict.StoredEtag);
        await Task.WhenAll(writes); // none of the others failed with it
        Assert.Equal("current", (await ReadAsync(storage)).State!.Name);
        var other = new GrainState<SensorState>(new SensorState());
        await storage.ReadStateAsync(StateName, others[^1], other);
        Assert.Equal("ok", other.State!.Name);
    }

    [Fact]
    public async Task A_stopped_provider_refuses_writes_with_a_clear_error_and_kept_what_it_had_taken()
    {
        await using (var services = Services())
        {
            var storage = Storage(services);
            var state = await ReadAsync(storage);
            state.State = SensorState.Sample("last");
            var last = storage.WriteStateAsync(StateName, Grain, state);
            await storage.DisposeAsync();
            await last; // taken before the stop: committed, not dropped

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteStateAsync(StateName, Grain, state));
            Assert.Contains("closed", error.Message, StringComparison.Ordinal);
        }

        await using var reopened = Services();
        Assert.Equal("last", (await ReadAsync(Storage(reopened))).State!.Name);
    }

    [Fact]
    public async Task Every_write_stores_a_new_ETag_and_marks_the_record_as_existing()
    {
        await using var services = Services();
        var storage = Storage(services);
        var state = await ReadAsync(storage);
        var etags = new HashSet<string>();

        for (var i = 0; i < 3; i++)
        {
            state.State!.Name = $"v{i}";
            await storage.WriteStateAsync(StateName, Grain, state);
            Assert.True(state.RecordExists);
            Assert.True(etags.Add(state.ETag!));
        }

        var read = await ReadAsync(storage);
        Assert.Equal(state.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("v2", read.State!.Name);
    }

    [Fact]
    public async Task Clear_deletes_the_record_and_resets_ETag_RecordExists_and_state()
    {
        await using var services = Services();
        var storage = Storage(services);
        var state = await ReadAsync(storage);
        state.State = SensorState.Sample("x");
        await storage.WriteStateAsync(StateName, Grain, state);

        await storage.ClearStateAsync(StateName, Grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State!.Name);
        Assert.Equal(0, await SqliteCluster.RowCountAsync(DatabasePath, Grain.ToString()));
        var read = await ReadAsync(storage);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);

        // Clearing what does not exist is a no-op.
        await storage.ClearStateAsync(StateName, Grain, read);
    }

    [Fact]
    public async Task Clear_with_a_stale_ETag_conflicts_and_keeps_the_record()
    {
        await using var services = Services();
        var storage = Storage(services);
        var a = await ReadAsync(storage);
        await storage.WriteStateAsync(StateName, Grain, a);
        var stale = new GrainState<SensorState>(new SensorState(), a.ETag);
        await storage.WriteStateAsync(StateName, Grain, a);
        var never = new GrainState<SensorState>(new SensorState());

        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain, stale));
        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain, never));

        Assert.Equal(1, await SqliteCluster.RowCountAsync(DatabasePath, Grain.ToString()));
    }

    [Fact]
    public async Task An_ETag_from_before_a_clear_cannot_overwrite_the_record_written_after_it()
    {
        await using var services = Services();
        var storage = Storage(services);
        var a = await ReadAsync(storage);
        await storage.WriteStateAsync(StateName, Grain, a);
        var b = await ReadAsync(storage);
        await storage.ClearStateAsync(StateName, Grain, a);
        a.State!.Name = "after clear";
        await storage.WriteStateAsync(StateName, Grain, a);

        _ = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain, b));

        Assert.Equal("after clear", (await ReadAsync(storage)).State!.Name);
    }

    [Fact]
    public async Task States_are_kept_apart_by_state_name_and_grain()
    {
        await using var services = Services();
        var storage = Storage(services);
        var other = GrainId.Create("sensor", "dd-002");
        foreach (var (name, grain) in new[] { ("state", Grain), ("history", Grain), ("state", other) })
        {
            var state = new GrainState<SensorState>(SensorState.Sample($"{name}@{grain}"));
            await storage.WriteStateAsync(name, grain, state);
        }

        foreach (var (name, grain) in new[] { ("state", Grain), ("history", Grain), ("state", other) })
        {
            var state = new GrainState<SensorState>(new SensorState());
            await storage.ReadStateAsync(name, grain, state);
            Assert.Equal($"{name}@{grain}", state.State!.Name);
        }
    }

    [Fact]
    public async Task By_default_the_payload_is_Orleans_binary_and_a_configured_serializer_takes_over()
    {
        await using (var services = Services())
        {
            await Storage(services).WriteStateAsync(StateName, Grain, new GrainState<SensorState>(SensorState.Sample("binary")));
        }

        Assert.NotEqual((byte)'{', (await PayloadAsync())[0]);

        var jsonPath = _directory.Combine("json.db");
        await using (var services = Services(options =>
        {
            options.DatabasePath = jsonPath;
            options.GrainStorageSerializer = new JsonStateSerializer();
        }))
        {
            var storage = Storage(services);
            await storage.WriteStateAsync(StateName, Grain, new GrainState<JsonState>(new JsonState("from options")));
            var read = new GrainState<JsonState>(new JsonState(""));
            await storage.ReadStateAsync(StateName, Grain, read);
            Assert.Equal("from options", read.State!.Name);
        }

        Assert.Equal("""{"Name":"from options"}""", System.Text.Encoding.UTF8.GetString(await PayloadAsync(jsonPath)));
    }

    [Fact]
    public async Task A_serializer_registered_under_the_provider_name_is_used()
    {
        await using (var services = Services(more: s => s.AddKeyedSingleton<IGrainStorageSerializer>(SqliteCluster.ProviderName, new JsonStateSerializer())))
        {
            await Storage(services).WriteStateAsync(StateName, Grain, new GrainState<JsonState>(new JsonState("keyed")));
        }

        Assert.Equal("""{"Name":"keyed"}""", System.Text.Encoding.UTF8.GetString(await PayloadAsync()));
    }

    [Fact]
    public async Task Initialisation_creates_directory_file_WAL_and_schema_and_can_run_twice()
    {
        var path = _directory.Combine("a", "b", "grains.db");
        await using var services = Services(options => options.DatabasePath = path);
        var storage = Storage(services);

        await storage.InitializeAsync();
        await storage.InitializeAsync();

        Assert.True(File.Exists(path));
        Assert.Equal("wal", await SqliteCluster.PragmaAsync(path, "journal_mode"));
        Assert.Equal("1", await SqliteCluster.PragmaAsync(path, "user_version"));
        Assert.Equal(0, await SqliteCluster.RowCountAsync(path, Grain.ToString()));
    }

    [Fact]
    public async Task A_database_from_a_newer_schema_is_refused()
    {
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            _ = await command.ExecuteNonQueryAsync();
        }

        await using var services = Services();
        var error = await Assert.ThrowsAsync<OrleansConfigurationException>(() => Storage(services).InitializeAsync());
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    private async Task<byte[]> PayloadAsync(string? path = null)
    {
        await using var connection = new SqliteConnection($"Data Source={path ?? DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state;";
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    public sealed record JsonState(string Name);

    /// <summary>A real, minimal serializer (System.Text.Json), to tell which serializer the provider used.</summary>
    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span)!;
    }
}
