using System.Net;
using System.Text.Json;

namespace AirQuality.Gateway.Tests;

/// <summary>Six sensors in Dresden and one in Lyon, read back through POST and GET /graphql.</summary>
public sealed class QueryFixture : IAsyncLifetime
{
    public HostFactory Host { get; } = new();

    public GraphQLClient Client { get; private set; } = null!;

    public DateTimeOffset ReadAt { get; } = DateTimeOffset.UtcNow.AddMinutes(-1);

    public async Task InitializeAsync()
    {
        var http = Host.CreateClient();
        Client = new GraphQLClient(http);
        for (var i = 0; i < 6; i++)
        {
            await ReadingPosts.PostReadingAsync(http, $"gq-dd-{i}", ReadAt, 5 + (i * 20), (51.05 + (i * 0.01), 13.74, "DE"));
        }

        await ReadingPosts.PostReadingAsync(http, "gq-ly-0", ReadAt, 12, (45.76, 4.83, "FR"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class QueryTests(QueryFixture fixture) : IClassFixture<QueryFixture>
{
    private readonly GraphQLClient _client = fixture.Client;

    [Fact]
    public async Task A_sensor_has_its_location_status_latest_values_and_aqi()
    {
        var data = await _client.DataAsync("""
            query($id: ID!) { sensor(id: $id) {
              id status lastSeen
              location { latitude longitude country }
              latest { quantity value unit timestamp }
              aqi(standard: US_EPA_2024) { standard category color }
            } }
            """, new { id = "gq-dd-1" });

        var sensor = data.GetProperty("sensor");
        Assert.Equal("gq-dd-1", sensor.GetProperty("id").GetString());
        Assert.Equal("ONLINE", sensor.GetProperty("status").GetString());
        Assert.Equal("DE", sensor.GetProperty("location").GetProperty("country").GetString());
        Assert.EndsWith("Z", sensor.GetProperty("lastSeen").GetString(), StringComparison.Ordinal);
        var pm25 = Assert.Single(sensor.GetProperty("latest").EnumerateArray(), m => m.GetProperty("quantity").GetString() == "pm25");
        Assert.Equal(25, pm25.GetProperty("value").GetDouble());
        Assert.Equal(fixture.ReadAt.ToUnixTimeSeconds(), DateTimeOffset.Parse(pm25.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.Equal("US_EPA_2024", sensor.GetProperty("aqi").GetProperty("standard").GetString());
    }

    [Fact]
    public async Task An_id_that_never_sent_a_reading_is_null()
    {
        var data = await _client.DataAsync("{ sensor(id: \"gq-nobody\") { id } }");
        Assert.Equal(JsonValueKind.Null, data.GetProperty("sensor").ValueKind);
    }

    [Fact]
    public async Task Sensors_in_a_bbox_are_paged_with_relay_cursors()
    {
        const string query = """
            query($after: String) { sensors(bbox: [13.5, 50.9, 14.0, 51.2], first: 4, after: $after) {
              totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } } }
            """;
        var first = (await _client.DataAsync(query)).GetProperty("sensors");
        Assert.Equal(6, first.GetProperty("totalCount").GetInt32());
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var edges = first.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(["gq-dd-0", "gq-dd-1", "gq-dd-2", "gq-dd-3"], edges.Select(e => e.GetProperty("node").GetProperty("id").GetString()));
        Assert.Equal(first.GetProperty("pageInfo").GetProperty("endCursor").GetString(), edges[^1].GetProperty("cursor").GetString());

        var second = (await _client.DataAsync(query, new { after = edges[^1].GetProperty("cursor").GetString() })).GetProperty("sensors");
        Assert.False(second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(["gq-dd-4", "gq-dd-5"], second.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Sensors_are_found_near_a_point_by_country_and_by_aqi_range()
    {
        var near = await _client.DataAsync("{ sensors(near: {latitude: 45.76, longitude: 4.83, radiusKm: 10}) { totalCount edges { node { id } } } }");
        Assert.Equal("gq-ly-0", Assert.Single(near.GetProperty("sensors").GetProperty("edges").EnumerateArray()).GetProperty("node").GetProperty("id").GetString());

        var country = await _client.DataAsync("{ sensors(country: \"DE\") { totalCount } }");
        Assert.Equal(6, country.GetProperty("sensors").GetProperty("totalCount").GetInt32());

        // The range filter keeps exactly the sensors whose index (as the sensor reports it) lies in the range.
        var all = await _client.DataAsync("{ sensors(country: \"DE\") { edges { node { id aqi(standard: EU_EAQI_2024) { index } } } } }");
        var expected = all.GetProperty("sensors").GetProperty("edges").EnumerateArray()
            .Where(e => e.GetProperty("node").GetProperty("aqi") is { ValueKind: JsonValueKind.Object } aqi
                && aqi.GetProperty("index") is { ValueKind: JsonValueKind.Number } index && index.GetInt32() <= 2)
            .Select(e => e.GetProperty("node").GetProperty("id").GetString());
        var clean = await _client.DataAsync("{ sensors(country: \"DE\", standard: EU_EAQI_2024, minIndex: 1, maxIndex: 2, status: ONLINE) { edges { node { id } } } }");
        Assert.Equal(expected, clean.GetProperty("sensors").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_sensors_query_without_an_area_is_a_clear_error()
    {
        var (status, body, _) = await _client.PostAsync("{ sensors { totalCount } }");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("bbox", GraphQLClient.FirstError(body), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("US_EPA_2024", "Good", 0)]
    [InlineData("UK_DAQI", "Low", 1)]
    [InlineData("EU_EAQI_2024", "Good", 1)]
    public async Task The_aqi_scale_lists_the_bands_lowest_first(string standard, string firstCategory, int firstLow)
    {
        var data = await _client.DataAsync($"{{ aqiScale(standard: {standard}) {{ low high category color }} }}");
        var bands = data.GetProperty("aqiScale").EnumerateArray().ToList();
        Assert.True(bands.Count >= 4);
        Assert.StartsWith(firstCategory, bands[0].GetProperty("category").GetString(), StringComparison.Ordinal);
        Assert.Equal(firstLow, bands[0].GetProperty("low").GetInt32());
        Assert.All(bands, b => Assert.StartsWith("#", b.GetProperty("color").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_gives_hourly_aggregates_of_a_quantity()
    {
        var data = await _client.DataAsync("""
            query($from: DateTime!, $to: DateTime!) { sensor(id: "gq-dd-2") {
              history(quantity: "pm25", from: $from, to: $to, interval: HOUR) { quantity periodStart periodEnd mean count coverage } } }
            """, new { from = fixture.ReadAt.AddHours(-2), to = fixture.ReadAt.AddHours(1) });
        var hour = Assert.Single(data.GetProperty("sensor").GetProperty("history").EnumerateArray(), a => a.GetProperty("count").GetInt32() > 0);
        Assert.Equal(45, hour.GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task Alerts_of_one_sensor_are_listed_and_a_bad_cursor_across_sensors_is_a_clear_error()
    {
        var data = await _client.DataAsync("{ alerts(sensorId: \"gq-dd-0\") { totalCount edges { node { id } } pageInfo { hasNextPage } } sensor(id: \"gq-dd-0\") { alerts { id } } }");
        Assert.Equal(0, data.GetProperty("alerts").GetProperty("totalCount").GetInt32());
        Assert.Empty(data.GetProperty("sensor").GetProperty("alerts").EnumerateArray());

        var across = await _client.DataAsync("{ alerts { totalCount edges { cursor } } }");
        Assert.True(across.GetProperty("alerts").GetProperty("totalCount").GetInt32() >= across.GetProperty("alerts").GetProperty("edges").GetArrayLength());

        var (_, body, _) = await _client.PostAsync("{ alerts(after: \"garbled\") { totalCount } }");
        Assert.Contains("cursor", GraphQLClient.FirstError(body), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Queries_run_over_get_too()
    {
        var (status, body, contentType) = await _client.GetAsync("query($id: ID!) { sensor(id: $id) { id } }", "{\"id\":\"gq-ly-0\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(GraphQLClient.ResponseType, contentType);
        Assert.Equal("gq-ly-0", body.GetProperty("data").GetProperty("sensor").GetProperty("id").GetString());
    }

    [Fact]
    public async Task RegisterSensor_places_a_pushed_sensor_and_bad_input_or_alert_ids_are_clear_errors()
    {
        using var http = fixture.Host.CreateOperatorClient();
        var operatorClient = new GraphQLClient(http);
        var registered = await operatorClient.DataAsync("""
            mutation { registerSensor(input: {id: "gq-reg-1", name: "Balcony", latitude: 48.2, longitude: 16.37, country: "at", indoor: false}) {
              id name location { latitude longitude country indoor } status } }
            """);
        var sensor = registered.GetProperty("registerSensor");
        Assert.Equal("Balcony", sensor.GetProperty("name").GetString());
        Assert.Equal("AT", sensor.GetProperty("location").GetProperty("country").GetString());
        Assert.Equal("NEVER_SEEN", sensor.GetProperty("status").GetString());
        var listed = await _client.DataAsync("{ sensors(country: \"AT\") { edges { node { id } } } }");
        Assert.Contains(listed.GetProperty("sensors").GetProperty("edges").EnumerateArray(), e => e.GetProperty("node").GetProperty("id").GetString() == "gq-reg-1");

        var (_, register, _) = await operatorClient.PostAsync("mutation { registerSensor(input: {id: \"gq-reg-2\", latitude: 100, longitude: 2}) { id } }");
        Assert.Contains("atitude", GraphQLClient.FirstError(register), StringComparison.Ordinal);

        var (_, badId, _) = await operatorClient.PostAsync("mutation { acknowledgeAlert(id: \"nonsense\") { id } }");
        Assert.Contains("{sensorId}/{rule}/{ticks}", GraphQLClient.FirstError(badId), StringComparison.Ordinal);

        var (_, missing, _) = await operatorClient.PostAsync("mutation { acknowledgeAlert(id: \"gq-dd-0/pm25-high/1\") { id } }");
        Assert.Equal("NOT_FOUND", missing.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_ide_page_is_served_from_local_assets()
    {
        using var http = fixture.Host.CreateClient();
        var page = await http.GetStringAsync(new Uri("/graphql/ui", UriKind.Relative));
        Assert.Contains("<textarea", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.Contains("fetch(", await http.GetStringAsync(new Uri("/graphql/ui/ide.js", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_is_served_at_the_root_with_its_bundled_assets_and_no_outside_urls()
    {
        // test.sh builds the dashboard (scripts/build-dashboard.sh) before the .NET build copies it next to the host.
        using var http = fixture.Host.CreateClient();
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"map\"", html, StringComparison.Ordinal);

        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"\\.?/?(assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var asset = await http.GetAsync(new Uri("/" + script, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("https://", await asset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
