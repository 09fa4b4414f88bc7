using System.Net;
using System.Text.Json;
using AirQuality.Grains.Index;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// Sensors in Dresden, Lyon and Sydney, posted through the ingest API. The overview reports at once here
/// (OverviewInterval zero), so each query sees the readings posted before it.
/// </summary>
public sealed class OverviewFixture : IAsyncLifetime
{
    public HostFactory Host { get; } = new(services: s => s.Configure<SensorIndexOptions>(o => o.OverviewInterval = TimeSpan.Zero));

    public GraphQLClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var http = Host.CreateClient();
        Client = new GraphQLClient(http);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 4; i++)
        {
            await ReadingPosts.PostReadingAsync(http, $"ov-dd-{i}", at, 5 + (i * 30), (51.05 + (i * 0.01), 13.74, "DE"));
        }

        await ReadingPosts.PostReadingAsync(http, "ov-ly-0", at, 12, (45.76, 4.83, "FR"));
        await ReadingPosts.PostReadingAsync(http, "ov-sy-0", at, 8, (-33.87, 151.21, "AU"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class OverviewTests(OverviewFixture fixture) : IClassFixture<OverviewFixture>
{
    private const string Grid = """
        query($bbox: [Float!]!, $precision: Int) { sensorGrid(bbox: $bbox, standard: US_EPA_2024, precision: $precision) {
          key precision latitude longitude bbox count online stale neverSeen withIndex aqiMax aqiMean category color } }
        """;

    private readonly GraphQLClient _client = fixture.Client;

    [Fact]
    public async Task The_whole_world_is_answered_in_precision_2_cells()
    {
        var cells = await GridAsync([-180, -90, 180, 90]);

        Assert.All(cells, c => Assert.Equal(2, c.GetProperty("precision").GetInt32()));
        Assert.Equal(6, cells.Sum(c => c.GetProperty("count").GetInt32()));
        Assert.Equal(cells.Select(Key).Order(StringComparer.Ordinal), cells.Select(Key));

        var dresden = Assert.Single(cells, c => c.GetProperty("count").GetInt32() == 4);
        Assert.Equal("u3", Key(dresden));
        Assert.Equal(51.065, dresden.GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(13.74, dresden.GetProperty("longitude").GetDouble(), 6);
        Assert.Equal(4, dresden.GetProperty("online").GetInt32());
        Assert.Equal(0, dresden.GetProperty("stale").GetInt32());
        Assert.Equal([11.25, 50.625, 22.5, 56.25], dresden.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));

        // The cell's colour is the band of its worst sensor; a sensor with too few readings for an index counts all the same.
        if (dresden.GetProperty("aqiMax").ValueKind == JsonValueKind.Number)
        {
            Assert.Matches("^#[0-9a-fA-F]{6}$", dresden.GetProperty("color").GetString());
            Assert.False(string.IsNullOrEmpty(dresden.GetProperty("category").GetString()));
            Assert.True(dresden.GetProperty("aqiMean").GetDouble() <= dresden.GetProperty("aqiMax").GetInt32());
        }
        else
        {
            Assert.Equal(0, dresden.GetProperty("withIndex").GetInt32());
            Assert.Equal(JsonValueKind.Null, dresden.GetProperty("color").ValueKind);
        }
    }

    [Fact]
    public async Task A_large_bbox_at_tile_precision_lists_the_tiles_with_sensors()
    {
        // Europe: far more tiles than sensors(bbox) may touch, but within the regions a precision-3 grid may read.
        var cells = await GridAsync([-12, 34, 35, 62], 3);

        Assert.Equal(["u05", "u31"], cells.Select(Key));
        Assert.Equal([1, 4], cells.Select(c => c.GetProperty("count").GetInt32()));

        var sensors = await _client.PostAsync("{ sensors(bbox: [-12, 34, 35, 62]) { totalCount } }");
        Assert.StartsWith("Area too large", GraphQLClient.FirstError(sensors.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Precision_1_across_the_antimeridian_finds_Sydney()
    {
        var cells = await GridAsync([150, -40, -170, -30], 1);
        var sydney = Assert.Single(cells);
        Assert.Equal(("r", 1), (Key(sydney), sydney.GetProperty("count").GetInt32()));
    }

    [Theory]
    [InlineData("[1, 2, 3]", "bbox must be four numbers")]
    [InlineData("[0, 60, 10, 50]", "bbox minLat 60 is greater than maxLat 50")]
    [InlineData("[0, 0, 200, 10]", "bbox maxLon 200 is outside")]
    public async Task A_bad_bbox_is_refused(string bbox, string message)
    {
        var (status, body, _) = await _client.PostAsync($"{{ sensorGrid(bbox: {bbox}, standard: UK_DAQI) {{ key }} }}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith(message, GraphQLClient.FirstError(body), StringComparison.Ordinal);
        Assert.Equal("BAD_USER_INPUT", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(0, "precision must be between 1 and 3")]
    [InlineData(4, "precision must be between 1 and 3")]
    [InlineData(3, "Area too large for precision 3")]
    public async Task A_precision_the_overview_cannot_answer_is_refused(int precision, string message)
    {
        var (_, body, _) = await _client.PostAsync(Grid, new { bbox = new[] { -180.0, -90, 180, 90 }, precision });
        Assert.StartsWith(message, GraphQLClient.FirstError(body), StringComparison.Ordinal);
        Assert.Equal("BAD_USER_INPUT", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    private static string Key(JsonElement cell) => cell.GetProperty("key").GetString()!;

    private async Task<List<JsonElement>> GridAsync(double[] bbox, int? precision = null) =>
        (await _client.DataAsync(Grid, new { bbox, precision })).GetProperty("sensorGrid").EnumerateArray().ToList();
}
