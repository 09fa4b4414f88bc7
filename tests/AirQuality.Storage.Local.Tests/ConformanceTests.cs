using AirQuality.Alerts.Outbox;
using AirQuality.Domain.Archive;
using AirQuality.Storage.Local.Outbox;
using AirQuality.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Storage;

namespace AirQuality.Storage.Local.Tests;

/// <summary>The SQLite grain storage against the grain storage contract: the provider as the host registers it, a new database per test.</summary>
public sealed class SqliteGrainStorageConformanceTests : GrainStorageConformance
{
    private readonly TempDirectory _directory = new("airq-storage-test-");
    private ServiceProvider? _services;

    private string DatabasePath => _directory.Combine("grains.db");

    protected override Task<IGrainStorage> CreateStorageAsync()
    {
        _services = SqliteCluster.ProviderServices(DatabasePath);
        return Task.FromResult<IGrainStorage>(SqliteCluster.Storage(_services));
    }

    protected override Task<long> StoredRecordCountAsync(GrainId grainId) => SqliteCluster.RowCountAsync(DatabasePath, grainId.ToString());

    protected override async Task DisposeStorageAsync(IGrainStorage storage)
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _directory.Dispose();
    }
}

/// <summary>The file archive against the archive contract: a new directory per test, every file under it read back.</summary>
public sealed class FileReadingArchiveConformanceTests : ReadingArchiveConformance
{
    private readonly TempDirectory _directory = new("airq-storage-test-");

    private string Root => _directory.Combine("archive");

    protected override Task<IReadingArchive> CreateArchiveAsync(TimeProvider clock) =>
        Task.FromResult<IReadingArchive>(new FileReadingArchive(new FileReadingArchiveOptions { Directory = Root, FlushInterval = TimeSpan.FromSeconds(1) }, clock));

    /// <summary>Every file under the root, by its path without ".ndjson": a partition's file is <c>yyyy/MM/dd/HH.ndjson</c>.</summary>
    protected override async Task<IReadOnlyDictionary<string, byte[]>> ReadStoredAsync()
    {
        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            stored[relative.EndsWith(".ndjson", StringComparison.Ordinal) ? relative[..^".ndjson".Length] : relative] = await File.ReadAllBytesAsync(file);
        }

        return stored;
    }

    protected override async Task DisposeArchiveAsync(IReadingArchive archive)
    {
        await base.DisposeArchiveAsync(archive);
        _directory.Dispose();
    }
}

/// <summary>The SQLite alert outbox against the outbox contract: a new database file per test.</summary>
public sealed class SqliteAlertOutboxConformanceTests : AlertOutboxConformance
{
    private readonly TempDirectory _directory = new("airq-storage-test-");

    protected override Task<IAlertOutbox> CreateOutboxAsync(TimeProvider time) => Task.FromResult<IAlertOutbox>(new SqliteAlertOutbox(
        new SqliteAlertOutboxOptions { DatabasePath = _directory.Combine("data", SqliteAlertOutboxOptions.DefaultFileName) },
        time,
        NullLogger<SqliteAlertOutbox>.Instance));

    protected override async Task DisposeOutboxAsync(IAlertOutbox outbox)
    {
        await base.DisposeOutboxAsync(outbox);
        _directory.Dispose();
    }
}
