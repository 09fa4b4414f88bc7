using AirQuality.Storage.Local.Hosting;
using AirQuality.Testing.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace AirQuality.Storage.Local.Tests;

/// <summary>The provider on its own, on files the test makes or damages itself.</summary>
public sealed class SqliteDamagedFileTests : IDisposable
{
    private const string StateName = "state";
    private const int PageSize = 4096;

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.Combine("grains.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private ServiceProvider Services() => SqliteCluster.ProviderServices(DatabasePath);

    private static SqliteGrainStorage Storage(ServiceProvider services) => SqliteCluster.Storage(services);

    [Fact]
    public async Task A_missing_file_is_a_fresh_store_built_under_another_name_and_renamed_into_place()
    {
        await using var services = Services();
        await Storage(services).InitializeAsync();

        Assert.True(new FileInfo(DatabasePath).Length > 0);
        Assert.Equal(["grains.db"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Where(n => !n!.EndsWith("-wal", StringComparison.Ordinal) && !n.EndsWith("-shm", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_database_of_something_else_is_refused_naming_the_file()
    {
        await using (var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await other.OpenAsync();
            await using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);";
            _ = await create.ExecuteNonQueryAsync();
        }

        await using var services = Services();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Storage(services).InitializeAsync());

        Assert.Contains($"'{DatabasePath}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("invoices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damage_met_at_run_time_fails_the_read_naming_the_file_and_marks_the_store_damaged()
    {
        var grains = Enumerable.Range(0, 300).Select(i => GrainId.Create("sensor", $"g-{i:D3}")).ToArray();
        await using (var writer = Services())
        {
            var storage = Storage(writer);
            await Task.WhenAll(grains.Select(g => storage.WriteStateAsync(StateName, g, new GrainState<StoredState>(StoredState.Sample(g.Key.ToString()!, entries: 40)))));
            await storage.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var services = Services();
        var reopened = Storage(services);
        await reopened.InitializeAsync(); // sound at start-up
        var health = services.GetRequiredService<SqliteStoreHealth>();
        Assert.Empty(health.Problems);

        OverwriteMiddlePages(DatabasePath);
        var failures = new List<Exception>();
        foreach (var grain in grains)
        {
            try
            {
                await reopened.ReadStateAsync(StateName, grain, new GrainState<StoredState>(new StoredState()));
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        Assert.NotEmpty(failures);
        Assert.All(failures, e =>
        {
            var damaged = Assert.IsType<SqliteStoreDamagedException>(e);
            Assert.Contains($"'{DatabasePath}'", damaged.Message, StringComparison.Ordinal);
            Assert.Equal(SqliteCluster.ProviderName, damaged.StoreName);
        });
        Assert.Contains("grains.db", Assert.Single(health.Problems), StringComparison.Ordinal);
    }

    private static void OverwriteMiddlePages(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var pages = file.Length / PageSize;
        var random = new Random(3);
        var garbage = new byte[PageSize];
        for (var page = Math.Max(1, pages / 4); page <= pages * 3 / 4; page++)
        {
            random.NextBytes(garbage);
            file.Position = page * PageSize;
            file.Write(garbage);
        }
    }
}
