using AirQuality.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AirQuality.Storage.Local.Tests;

public sealed class SqliteGrainStorageClusterTests(SqliteClusterFixture fixture) : IClassFixture<SqliteClusterFixture>
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task The_database_file_is_created_where_configured_when_the_silo_starts()
    {
        Assert.True(File.Exists(fixture.DatabasePath));
        Assert.True(File.Exists(fixture.DefaultDatabasePath));
        Assert.Equal("wal", await SqliteCluster.PragmaAsync(fixture.DatabasePath, "journal_mode"));
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(SqliteCluster.ProviderName);
        Assert.Equal(fixture.DatabasePath, Assert.IsType<SqliteGrainStorage>(storage).DatabasePath);
    }

    [Fact]
    public async Task State_written_by_a_grain_is_read_back_by_its_next_activation()
    {
        var grain = Grains.GetGrain<IStateGrain>("reactivate");
        var state = StoredState.Sample("dd-001");
        await grain.Store(state);
        var first = await grain.Activation();

        await fixture.Cluster.DeactivateAsync(grain);

        Assert.NotEqual(first, await grain.Activation());
        Assert.True(await grain.RecordExists());
        StoredState.AssertSame(state, await grain.Load());
        Assert.Equal(1, await SqliteCluster.RowCountAsync(fixture.DatabasePath, grain.GetGrainId().ToString()));
    }

    [Fact]
    public async Task A_grain_that_was_never_written_starts_empty()
    {
        var grain = Grains.GetGrain<IStateGrain>("fresh");

        Assert.False(await grain.RecordExists());
        Assert.Equal("", (await grain.Load()).Name);
        Assert.Equal(0, await SqliteCluster.RowCountAsync(fixture.DatabasePath, grain.GetGrainId().ToString()));
    }

    [Fact]
    public async Task Clearing_deletes_the_row_and_the_next_activation_starts_empty()
    {
        var grain = Grains.GetGrain<IStateGrain>("clear");
        await grain.Store(StoredState.Sample("to-clear"));

        await grain.Clear();

        Assert.False(await grain.RecordExists());
        Assert.Equal(0, await SqliteCluster.RowCountAsync(fixture.DatabasePath, grain.GetGrainId().ToString()));
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.False(await grain.RecordExists());
        Assert.Equal("", (await grain.Load()).Name);

        // Written again after the clear: a fresh record.
        await grain.Store(StoredState.Sample("again"));
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.Equal("again", (await grain.Load()).Name);
    }

    [Fact]
    public async Task A_state_with_ten_thousand_entries_round_trips()
    {
        var grain = Grains.GetGrain<IStateGrain>("large");
        var state = StoredState.Sample("large", entries: 10_000);
        state.Hours = [.. Enumerable.Range(0, 10_000)];

        await grain.Store(state);
        await fixture.Cluster.DeactivateAsync(grain);

        var read = await grain.Load();
        Assert.Equal(10_000, read.Values.Count);
        StoredState.AssertSame(state, read);
    }

    [Fact]
    public async Task The_default_provider_stores_grains_that_name_no_provider_in_its_own_file()
    {
        var grain = Grains.GetGrain<IDefaultStateGrain>("default");

        await grain.Store(StoredState.Sample("default"));

        var id = grain.GetGrainId().ToString();
        Assert.Equal(1, await SqliteCluster.RowCountAsync(fixture.DefaultDatabasePath, id));
        Assert.Equal(0, await SqliteCluster.RowCountAsync(fixture.DatabasePath, id));
    }
}

public sealed class SqliteGrainStorageRestartTests
{
    [Fact]
    public async Task State_survives_a_restart_of_the_whole_cluster_on_the_same_database()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("grains.db");
        var state = StoredState.Sample("survivor", entries: 100);

        await using (var cluster = await SqliteCluster.StartAsync(path))
        {
            await cluster.Client.GetGrain<IStateGrain>("restart").Store(state);
        }

        await using (var cluster = await SqliteCluster.StartAsync(path))
        {
            var grain = cluster.Client.GetGrain<IStateGrain>("restart");
            Assert.True(await grain.RecordExists());
            StoredState.AssertSame(state, await grain.Load());
        }
    }
}
