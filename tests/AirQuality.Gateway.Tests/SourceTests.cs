using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Gateway.Data;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// The gateway with sources a test controls: a sensor-update feed the test pushes ids into, and a directory
/// that fails with an internal exception (whose message must never reach a client).
/// </summary>
public sealed class SourceHostFixture : IAsyncLifetime
{
    public SourceHostFixture()
    {
        Host = new HostFactory(services: s =>
        {
            s.AddSingleton<ISensorUpdateSource>(Updates);
            s.AddSingleton<ISensorDirectoryQuery, FailingDirectory>();
        });
    }

    public PushedUpdates Updates { get; } = new();

    public HostFactory Host { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Every subscriber reads what the test writes, from the moment it subscribed.</summary>
    public sealed class PushedUpdates : ISensorUpdateSource
    {
        private readonly List<Channel<SensorView>> _subscribers = [];

        public void Push(SensorView view)
        {
            lock (_subscribers)
            {
                _subscribers.ForEach(s => s.Writer.TryWrite(view));
            }
        }

        public Task WatchAsync(string sensorId, CancellationToken cancellationToken) => Task.CompletedTask;

        public async IAsyncEnumerable<SensorView> SubscribeAsync(string sensorId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var channel = Channel.CreateUnbounded<SensorView>();
            lock (_subscribers)
            {
                _subscribers.Add(channel);
            }

            await foreach (var id in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return id;
            }
        }
    }

    private sealed class FailingDirectory : ISensorDirectoryQuery
    {
        public Task<SensorPage> FindAsync(SensorQuery query, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("secret connection string Password=hunter2");

        public string CursorOf(SensorQuery query, string sensorId) => sensorId;
    }
}

public sealed class SourceTests(SourceHostFixture fixture) : IClassFixture<SourceHostFixture>
{
    [Fact]
    public async Task SensorUpdated_sends_each_view_its_source_pushes_for_the_sensor()
    {
        using var http = fixture.Host.CreateClient();
        await ReadingPosts.PostReadingAsync(http, "src-1", DateTimeOffset.UtcNow.AddMinutes(-1), 33, (48.1, 11.6, "DE"));
        var view = await fixture.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISensorGrain>("src-1").GetView();
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("u", "subscription { sensorUpdated(id: \"src-1\") { id location { country } latest { value } } }");
        await client.RoundTripAsync();

        fixture.Updates.Push(view with { Id = "src-other" });
        fixture.Updates.Push(view);
        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        var sensor = next.GetProperty("payload").GetProperty("data").GetProperty("sensorUpdated");
        Assert.Equal("src-1", sensor.GetProperty("id").GetString());
        Assert.Equal(33, sensor.GetProperty("latest")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task An_internal_exception_becomes_internal_error_with_a_correlation_id()
    {
        using var http = fixture.Host.CreateClient();
        var (status, body, _) = await new GraphQLClient(http).PostAsync("{ sensors(country: \"DE\") { totalCount } }");
        Assert.Equal(HttpStatusCode.OK, status);
        var message = GraphQLClient.FirstError(body);
        Assert.StartsWith("internal error (correlation id ", message, StringComparison.Ordinal);
        Assert.Equal("INTERNAL_ERROR", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.DoesNotContain("hunter2", body.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperation", body.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
