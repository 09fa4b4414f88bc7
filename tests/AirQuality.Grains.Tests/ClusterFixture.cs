using AirQuality.Grains;
using AirQuality.Grains.Alerts;
using AirQuality.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace AirQuality.Grains.Tests;

/// <summary>
/// A real two-silo Orleans cluster in this process (TestingHost), with in-memory grain storage (the
/// durable SQLite storage is tested with the host) and one fake clock shared by both silos.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>
    /// Both silos' clock. It only moves forward, and only in tests of this collection (which run one at a
    /// time); every test reads "now" when it starts and works relative to it.
    /// </summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public IClusterClient Client => Cluster.Client;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(AirQualityStorage.Sensors);
            siloBuilder.AddMemoryGrainStorage(AirQualityStorage.Index);
            siloBuilder.Services.AddSingleton<TimeProvider>(Clock);
            siloBuilder.Services.AddSingleton<AirQuality.Contracts.IAlertSink, FailingAlertSink>();
            siloBuilder.Services.AddSingleton<AirQuality.Contracts.IAlertSink, RecordingAlertSink>();
            siloBuilder.AddAirQualityGrains();
            siloBuilder.Services.Configure<SensorGrainOptions>(o => o.PersistInterval = TimeSpan.Zero);
            siloBuilder.Services.Configure<Index.SensorIndexOptions>(o => o.OverviewInterval = TimeSpan.Zero); // overview reports at once: tests see them without waiting
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterDefinition : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
