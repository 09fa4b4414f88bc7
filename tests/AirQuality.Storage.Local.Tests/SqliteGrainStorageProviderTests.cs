using System.Text.Json;
using AirQuality.Storage.Local.Hosting;
using AirQuality.Testing.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
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

    private ServiceProvider Services(Action<SqliteGrainStorageOptions>? configure = null, Action<IServiceCollection>? more = null) =>
        SqliteCluster.ProviderServices(DatabasePath, configure, more);

    private static SqliteGrainStorage Storage(ServiceProvider services) => SqliteCluster.Storage(services);

    private static async Task<GrainState<StoredState>> ReadAsync(SqliteGrainStorage storage)
    {
        var state = new GrainState<StoredState>(new StoredState());
        await storage.ReadStateAsync(StateName, Grain, state);
        return state;
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_are_committed_together_and_all_land()
    {
        await using var services = Services(o => o.WriteBatchSize = 16);
        var storage = Storage(services);
        var grains = Enumerable.Range(0, 500).Select(i => GrainId.Create("sensor", $"g-{i}")).ToArray();

        // Started together, so they queue up behind one another's commits and go in groups of up to 16.
        await Task.WhenAll(grains.Select(g => storage.WriteStateAsync(StateName, g, new GrainState<StoredState>(StoredState.Sample(g.Key.ToString()!)))));

        foreach (var g in grains)
        {
            var read = new GrainState<StoredState>(new StoredState());
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
        current.State = StoredState.Sample("current");
        await storage.WriteStateAsync(StateName, Grain, current);

        stale.State = StoredState.Sample("stale");
        var others = Enumerable.Range(0, 100).Select(i => GrainId.Create("sensor", $"other-{i}")).ToArray();
        var writes = others.Select(g => storage.WriteStateAsync(StateName, g, new GrainState<StoredState>(StoredState.Sample("ok")))).ToList();
        var staleWrite = storage.WriteStateAsync(StateName, Grain, stale);
        writes.AddRange(others.Select(g => storage.WriteStateAsync(StateName, GrainId.Create("sensor", "more-" + g.Key), new GrainState<StoredState>(StoredState.Sample("ok")))));

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        Assert.Equal(current.ETag, conflict.StoredEtag);
        await Task.WhenAll(writes); // none of the others failed with it
        Assert.Equal("current", (await ReadAsync(storage)).State!.Name);
        var other = new GrainState<StoredState>(new StoredState());
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
            state.State = StoredState.Sample("last");
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
    public async Task By_default_the_payload_is_Orleans_binary_and_a_configured_serializer_takes_over()
    {
        await using (var services = Services())
        {
            await Storage(services).WriteStateAsync(StateName, Grain, new GrainState<StoredState>(StoredState.Sample("binary")));
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
