using AirQuality.Storage.Local.Hosting;
using AirQuality.Testing.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AirQuality.Storage.Local.Tests;

/// <summary>Starts one-silo in-process clusters whose grain storage is SQLite, and looks into the database.</summary>
internal static class SqliteCluster
{
    public const string ProviderName = "sqlite";

    public static async Task<InProcessTestCluster> StartAsync(string databasePath, string? defaultDatabasePath = null)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        _ = builder.ConfigureSilo((siloOptions, silo) =>
        {
            _ = silo.AddSqliteGrainStorage(ProviderName, options => options.DatabasePath = databasePath);
            if (defaultDatabasePath is not null)
            {
                _ = silo.AddSqliteGrainStorageAsDefault(options => options.DatabasePath = defaultDatabasePath);
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>
    /// The provider on its own (no silo), registered as the host registers it, on <paramref name="databasePath"/>,
    /// its serializer knowing <see cref="StoredState"/>.
    /// </summary>
    public static ServiceProvider ProviderServices(string databasePath, Action<SqliteGrainStorageOptions>? configure = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSerializer(serializer => serializer.AddAssembly(GrainStorageConformance.StateAssembly))
            .AddSqliteGrainStorage(ProviderName, options =>
            {
                options.DatabasePath = databasePath;
                configure?.Invoke(options);
            });
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The provider that <see cref="ProviderServices"/> registered.</summary>
    public static SqliteGrainStorage Storage(IServiceProvider services) =>
        Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>(ProviderName));

    /// <summary>The rows stored for <paramref name="grainId"/>, read straight from the file.</summary>
    public static async Task<long> RowCountAsync(string databasePath, string grainId)
    {
        await using var connection = await OpenReadOnlyAsync(databasePath);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grain_state WHERE grain_id = $grain;";
        _ = command.Parameters.AddWithValue("$grain", grainId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<string> PragmaAsync(string databasePath, string pragma)
    {
        await using var connection = await OpenReadOnlyAsync(databasePath);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma};";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static async Task<SqliteConnection> OpenReadOnlyAsync(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>One cluster shared by the tests of a class; each test uses its own grain keys.</summary>
public sealed class SqliteClusterFixture : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.NewPath("airq-storage-test-");

    /// <summary>In a directory that does not exist before the silo starts.</summary>
    public string DatabasePath => Path.Combine(_directory, "named", "nested", "grains.db");

    public string DefaultDatabasePath => Path.Combine(_directory, "default.db");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await SqliteCluster.StartAsync(DatabasePath, DefaultDatabasePath);

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        TempDirectory.Delete(_directory);
    }
}
