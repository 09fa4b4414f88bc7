using AirQuality.Storage.Local.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;

namespace AirQuality.Storage.Local.Tests;

public sealed class SqliteGrainStorageOptionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_defaults_are_valid_and_put_the_database_in_the_data_directory()
    {
        var options = new SqliteGrainStorageOptions();

        options.Validate("sqlite");

        Assert.Equal(SqliteSynchronous.Full, options.Synchronous);
        Assert.Equal(Path.Combine(DataDirectory.Find(), "grains.db"), options.ResolveDatabasePath());
    }

    [Theory]
    [InlineData("   ", "DatabasePath must not be empty")]
    [InlineData("data/", "is a directory")]
    [InlineData("bad\0name.db", "not allowed in a path")]
    public void A_bad_database_path_is_named_in_the_error(string path, string expected)
    {
        var options = new SqliteGrainStorageOptions { DatabasePath = path };

        var error = Assert.Throws<OrleansConfigurationException>(() => options.Validate("sqlite"));

        Assert.Contains("'sqlite'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_directory_is_not_a_database_path()
    {
        var options = new SqliteGrainStorageOptions { DatabasePath = _directory.Path };

        var error = Assert.Throws<OrleansConfigurationException>(() => options.Validate("sqlite"));

        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory.Path, "grains.db"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new SqliteGrainStorageOptions
        {
            DatabasePath = "",
            BusyTimeout = TimeSpan.Zero,
            Synchronous = (SqliteSynchronous)7,
            WriteBatchSize = 0,
        };

        var error = Assert.Throws<OrleansConfigurationException>(() => options.Validate("state"));

        Assert.Contains("DatabasePath", error.Message, StringComparison.Ordinal);
        Assert.Contains("BusyTimeout must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("Synchronous must be Normal or Full", error.Message, StringComparison.Ordinal);
        Assert.Contains("WriteBatchSize must be 1-10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registration_validates_the_options_when_the_silo_starts()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddSerializer()
            .AddSqliteGrainStorage("sqlite", options => options.BusyTimeout = TimeSpan.FromSeconds(-1))
            .BuildServiceProvider();

        var validators = services.GetServices<IConfigurationValidator>().ToList();

        var error = Assert.Throws<OrleansConfigurationException>(() => validators.ForEach(v => v.ValidateConfiguration()));
        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_needs_a_name_and_a_configuration()
    {
        var services = new ServiceCollection();

        _ = Assert.Throws<ArgumentException>(() => services.AddSqliteGrainStorage(" ", (SqliteGrainStorageOptions _) => { }));
        _ = Assert.Throws<ArgumentNullException>(() => services.AddSqliteGrainStorage("sqlite", (Action<SqliteGrainStorageOptions>)null!));
    }
}

public sealed class DataDirectoryTests
{
    [Fact]
    public void The_configured_directory_wins_then_the_environment_then_the_default()
    {
        var current = Path.Combine(Path.GetTempPath(), "cwd");

        Assert.Equal(Path.Combine(current, "configured"), DataDirectory.FindFrom("configured", "/from/env", current));
        Assert.Equal(Path.GetFullPath("/from/env"), DataDirectory.FindFrom(null, "/from/env", current));
        Assert.Equal(Path.GetFullPath("/from/env"), DataDirectory.FindFrom("  ", "/from/env", current));
        Assert.Equal(Path.Combine(current, ".airquality"), DataDirectory.FindFrom(null, null, current));
        Assert.Equal(Path.Combine(current, ".airquality"), DataDirectory.FindFrom(null, "", current));
    }

    [Fact]
    public void Resolve_creates_the_directory()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("data", "dir");

        Assert.Equal(path, DataDirectory.Resolve(path));

        Assert.True(Directory.Exists(path));
    }
}
