using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Gateway.Schema;

namespace AirQuality.Gateway.Tests;

/// <summary>A page of sensors asks their grains for full views once, all together, and only when a field needs them.</summary>
public sealed class BatchingTests
{
    [Fact]
    public async Task The_first_node_that_needs_a_view_starts_the_calls_for_the_whole_page_and_no_node_starts_more()
    {
        var grains = new FakeGrains();
        var page = new SensorPageViews(grains.Factory, [Summary("b-1"), Summary("b-2"), Summary("b-3")]);
        var nodes = Enumerable.Range(0, 3).Select(i => new SensorNode(page, i)).ToList();
        Assert.Empty(grains.Calls);

        var second = nodes[1].ViewAsync();
        Assert.Equal(["b-1", "b-2", "b-3"], grains.Calls.Order());

        var views = await Task.WhenAll(nodes[0].ViewAsync(), second, nodes[2].ViewAsync());
        Assert.Equal(["b-1", "b-2", "b-3"], views.Select(v => v.Id));
        Assert.Equal(3, grains.Calls.Count);
    }

    [Fact]
    public async Task A_node_from_a_page_keeps_its_summary_and_a_failed_call_fails_only_its_own_node()
    {
        var grains = new FakeGrains { Failing = "b-2" };
        var page = new SensorPageViews(grains.Factory, [Summary("b-1"), Summary("b-2")]);
        var first = new SensorNode(page, 0);
        var second = new SensorNode(page, 1);
        Assert.Equal("b-2", second.Id);
        Assert.Equal(52.5, second.Summary!.Latitude);

        Assert.Equal("b-1", (await first.ViewAsync()).Id);
        await Assert.ThrowsAsync<InvalidOperationException>(second.ViewAsync);
    }

    private static SensorSummary Summary(string id) =>
        new(id, 52.5, 13.4, "DE", false, SensorStatusView.Online, DateTimeOffset.UtcNow, 42, 2, 1);

    /// <summary>An IGrainFactory whose sensor grains answer GetView at once, recording which sensors were asked.</summary>
    private sealed class FakeGrains
    {
        public FakeGrains() => Factory = DelegateProxy.Create<IGrainFactory>(Invoke);

        public IGrainFactory Factory { get; }

        public ConcurrentQueue<string> Calls { get; } = new();

        public string? Failing { get; init; }

        private object? Invoke(MethodInfo method, object?[] args)
        {
            if (method.Name != nameof(IGrainFactory.GetGrain) || args is not [string id, ..])
            {
                throw new NotSupportedException(method.ToString());
            }

            return DelegateProxy.Create<ISensorGrain>((m, _) =>
            {
                if (m.Name != nameof(ISensorGrain.GetView))
                {
                    throw new NotSupportedException(m.ToString());
                }

                Calls.Enqueue(id);
                return id == Failing
                    ? Task.FromException<SensorView>(new InvalidOperationException("the grain failed"))
                    : Task.FromResult(new SensorView(id, null, null, SensorStatusView.Online, null, null, [], []));
            });
        }
    }

    /// <summary>Implements an interface by one delegate (enough for the two or three members a test touches).</summary>
    public class DelegateProxy : DispatchProxy
    {
        private Func<MethodInfo, object?[], object?> _invoke = null!;

        public static T Create<T>(Func<MethodInfo, object?[], object?> invoke)
            where T : class
        {
            var proxy = Create<T, DelegateProxy>();
            ((DelegateProxy)(object)proxy)._invoke = invoke;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => _invoke(targetMethod!, args ?? []);
    }
}

/// <summary>
/// Sensors in Leipzig with three hours of PM2.5 each (every 15 minutes, so every standard has an index), each
/// posted as one batch so that its index summary holds that index; and one whose summary lags its readings.
/// </summary>
public sealed class PageFixture : IAsyncLifetime
{
    public static readonly double[] Levels = [4, 30, 60, 160];

    public HostFactory Host { get; } = new();

    public GraphQLClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var http = Host.CreateClient();
        Client = new GraphQLClient(http);
        var now = DateTimeOffset.UtcNow;
        var end = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        for (var i = 0; i < Levels.Length; i++)
        {
            await PostAsync(http, Enumerable.Range(0, 13).Select(k => Line($"pv-{i}", end.AddMinutes(-15 * k), Levels[i], 51.34 + (i * 0.01))));
        }

        // A reading of now indexes the sensor, ONLINE, with too little data for an index; the earlier hours,
        // posted within the minute, give it an index that reaches the sensor index only at its next check.
        await PostAsync(http, [Line("pv-lag", end, 30, 51.30)]);
        await PostAsync(http, Enumerable.Range(1, 12).Select(k => Line("pv-lag", end.AddMinutes(-15 * k), 30, 51.30)));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private static string Line(string id, DateTimeOffset at, double pm25, double latitude) => ReadingPosts.Line(id, at, pm25, (latitude, 12.37, "DE"));

    private static async Task PostAsync(HttpClient http, IEnumerable<string> lines)
    {
        using var response = await http.PostNdjsonAsync(lines);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>Sensor lists read through the real host: what a page answers from the index, and what from each sensor.</summary>
public sealed class PageViewTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private const string Bbox = "[12.3, 51.33, 12.4, 51.39]";
    private readonly GraphQLClient _client = fixture.Client;

    [Fact]
    public async Task An_online_sensor_in_a_list_shows_the_aqi_its_index_holds_which_is_the_sensors_own()
    {
        var page = await _client.DataAsync($$"""
            { sensors(bbox: {{Bbox}}, first: 10) { edges { node { id status aqi(standard: US_EPA_2024) { standard index category color } } } } }
            """);
        var nodes = Nodes(page);
        Assert.Equal(PageFixture.Levels.Length, nodes.Count);
        foreach (var node in nodes)
        {
            Assert.Equal("ONLINE", node.GetProperty("status").GetString());
            var alone = await SensorAsync(node.GetProperty("id").GetString()!, "aqi(standard: US_EPA_2024) { standard index category color }");
            Assert.Equal(JsonValueKind.Number, alone.GetProperty("aqi").GetProperty("index").ValueKind);
            Assert.Equal(alone.GetProperty("aqi").ToString(), node.GetProperty("aqi").ToString());
        }

        Assert.Equal(PageFixture.Levels.Length, nodes.Select(n => n.GetProperty("aqi").GetProperty("category").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Fields_the_index_does_not_hold_are_read_from_each_sensor_also_through_fragments()
    {
        var page = await _client.DataAsync($$"""
            { sensors(bbox: {{Bbox}}, first: 10) { edges { node { id ...Values ... on Sensor { aqi(standard: US_EPA_2024) { index dominantPollutant } } } } } }
            fragment Values on Sensor { latest { quantity value } }
            """);
        var nodes = Nodes(page);
        Assert.Equal(PageFixture.Levels.Length, nodes.Count);
        foreach (var node in nodes)
        {
            var alone = await SensorAsync(node.GetProperty("id").GetString()!, "latest { quantity value } aqi(standard: US_EPA_2024) { index dominantPollutant }");
            Assert.Equal(alone.GetProperty("latest").ToString(), node.GetProperty("latest").ToString());
            Assert.Equal(alone.GetProperty("aqi").ToString(), node.GetProperty("aqi").ToString());
        }
    }

    [Fact]
    public async Task A_sensor_whose_index_lags_shows_the_indexed_aqi_in_a_list_until_a_field_needs_the_sensor()
    {
        const string lagging = "[12.3, 51.29, 12.4, 51.31]";
        var indexed = Nodes(await _client.DataAsync($"{{ sensors(bbox: {lagging}) {{ edges {{ node {{ id aqi(standard: US_EPA_2024) {{ index }} }} }} }} }}"));
        var read = Nodes(await _client.DataAsync($"{{ sensors(bbox: {lagging}) {{ edges {{ node {{ id aqi(standard: US_EPA_2024) {{ index averaging }} }} }} }} }}"));
        var filtered = await _client.DataAsync($"{{ sensors(bbox: {lagging}, standard: US_EPA_2024, minIndex: 0) {{ totalCount }} }}");
        var alone = await SensorAsync("pv-lag", "aqi(standard: US_EPA_2024) { index averaging }");

        // The index still holds the first reading's "insufficient data", as its filter shows; the sensor has more.
        Assert.Equal(JsonValueKind.Null, Assert.Single(indexed).GetProperty("aqi").GetProperty("index").ValueKind);
        Assert.Equal(0, filtered.GetProperty("sensors").GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Number, alone.GetProperty("aqi").GetProperty("index").ValueKind);
        Assert.Equal(alone.GetProperty("aqi").ToString(), Assert.Single(read).GetProperty("aqi").ToString());
    }

    [Fact]
    public async Task Edges_give_their_cursors_when_asked()
    {
        var page = (await _client.DataAsync($$"""
            { sensors(bbox: {{Bbox}}, first: 3) { pageInfo { endCursor } edges { cursor node { id location { country } } } } }
            """)).GetProperty("sensors");
        var edges = page.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(3, edges.Count);
        Assert.Equal(3, edges.Select(e => e.GetProperty("cursor").GetString()).Distinct().Count());
        Assert.Equal(page.GetProperty("pageInfo").GetProperty("endCursor").GetString(), edges[^1].GetProperty("cursor").GetString());
    }

    private static List<JsonElement> Nodes(JsonElement data) =>
        data.GetProperty("sensors").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();

    private async Task<JsonElement> SensorAsync(string id, string fields) =>
        (await _client.DataAsync($"query($id: ID!) {{ sensor(id: $id) {{ {fields} }} }}", new { id })).GetProperty("sensor");
}
