using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AirQuality.Host.Tests;

public sealed class IngestTests() : HostTest(new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string> { ["Ingest:MaxBodyBytes"] = "65536" }))
{
    private static string Now => DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Canonical_ndjson_is_accepted_and_visible_on_the_sensor()
    {
        var id = NewId();
        var response = await PostNdjson(
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{Now}}}","values":{"pm25":12.5,"pm10":20,"temperature":3.2},"location":{"latitude":51.04,"longitude":13.74,"country":"DE"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetInt32());

        var view = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}");
        Assert.Equal("Online", view.GetProperty("status").GetString());
        Assert.Equal("DE", view.GetProperty("location").GetProperty("country").GetString());
        Assert.Contains(view.GetProperty("latest").EnumerateArray(), m => m.GetProperty("quantity").GetString() == "pm25" && m.GetProperty("value").GetDouble() == 12.5);
    }

    [Fact]
    public async Task Good_records_beside_bad_ones_are_kept_and_the_bad_ones_explained()
    {
        var id = NewId();
        var array = $$$"""
            [{"sensorId":"{{{id}}}","timestamp":"{{{Now}}}","values":{"pm25":5}},
             {"sensorId":"{{{id}}}","timestamp":"not a time","values":{"pm25":6}},
             {"sensorId":"bad id!","timestamp":"{{{Now}}}","values":{"pm25":7}},
             {"sensorId":"{{{id}}}","timestamp":"{{{Now}}}","values":{"pm25":"eight","pm10":9}}]
            """;
        var response = await Client.PostAsync("/api/v1/readings", new StringContent(array, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(2, body.GetProperty("rejected").GetInt32());
        Assert.Equal(1, body.GetProperty("rejectedValues").GetInt32());
        var reasons = body.GetProperty("rejections").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToList();
        Assert.Equal(3, reasons.Count);
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("[{\"sensorId\":\"a\",\"timest")]
    [InlineData("{\"sensorId\":42,\"timestamp\":true,\"values\":[]}")]
    [InlineData("[1e400]")]
    public async Task Bodies_with_nothing_good_get_400_with_reasons(string body)
    {
        var response = await Client.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await response.JsonAsync();
        Assert.Equal(0, json.GetProperty("accepted").GetInt32());
        Assert.NotEmpty(json.GetProperty("rejections").EnumerateArray());
    }

    [Fact]
    public async Task A_record_with_a_duplicate_key_is_rejected_naming_it_and_the_rest_of_the_batch_kept()
    {
        var id = NewId();
        var response = await PostNdjson(
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{Now}}}","values":{"pm25":1}}""",
            $$$"""{"sensorId":"{{{id}}}","sensorId":"{{{NewId()}}}","timestamp":"{{{Now}}}","values":{"pm25":2}}""",
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-2):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":3,"pm25":4}}""",
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-3):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":5}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((2, 2), (body.GetProperty("accepted").GetInt32(), body.GetProperty("rejected").GetInt32()));
        var rejections = body.GetProperty("rejections").EnumerateArray().ToList();
        Assert.Equal([2, 3], rejections.Select(r => r.GetProperty("record").GetInt32()));
        Assert.Contains("duplicate key 'sensorId'", rejections[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("duplicate key 'pm25' in 'values'", rejections[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_bodies_get_413()
    {
        var big = new string(' ', 70_000) + "[]";
        var response = await Client.PostAsync("/api/v1/readings", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_content_types_get_415()
    {
        var response = await Client.PostAsync("/api/v1/readings", new StringContent("<readings/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Duplicate_posts_change_nothing()
    {
        var id = NewId();
        var line = $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{Now}}}","values":{"pm25":12.5}}""";
        await PostNdjson(line);
        var before = await Client.GetStringAsync($"/api/v1/sensors/{id}/history?quantity=pm25");
        var second = await (await PostNdjson(line)).JsonAsync();

        Assert.Equal(1, second.GetProperty("duplicates").GetInt32());
        Assert.Equal(before, await Client.GetStringAsync($"/api/v1/sensors/{id}/history?quantity=pm25"));
    }

    [Fact]
    public async Task A_replayed_batch_is_reported_as_duplicates_and_readings_older_than_state_as_archived_only()
    {
        var id = NewId();
        var lines = Enumerable.Range(1, 5).Select(m =>
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-m):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{m}}},"pm10":{{{m + 1}}}}}""").ToArray();
        var first = await (await PostNdjson(lines)).JsonAsync();
        Assert.Equal((5, 0, 0), (first.GetProperty("accepted").GetInt32(), first.GetProperty("duplicates").GetInt32(), first.GetProperty("archivedOnly").GetInt32()));

        // The same readings again (a client retry): durable and accepted, but nothing new.
        var again = await (await PostNdjson(lines)).JsonAsync();
        Assert.Equal((5, 5, 0), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32(), again.GetProperty("archivedOnly").GetInt32()));

        // Years old: valid and archived, but older than any history the sensor keeps.
        var old = await (await PostNdjson(
            $$$"""{"sensorId":"{{{id}}}","timestamp":"2003-05-01T10:00:00Z","values":{"pm25":7}}""",
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-30):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":8}}""")).JsonAsync();
        Assert.Equal((2, 0, 1), (old.GetProperty("accepted").GetInt32(), old.GetProperty("duplicates").GetInt32(), old.GetProperty("archivedOnly").GetInt32()));
    }

    [Fact]
    public async Task Sensor_community_push_is_accepted_with_its_headers()
    {
        var node = $"esp8266-{RandomNumberGenerator.GetInt32(1_000_000)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/push-sensor-data/")
        {
            Content = new StringContent("""{"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","value":"66.04"},{"value_type":"P2","value":"53.32"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Sensor", node);
        request.Headers.Add("X-Pin", "1");
        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{node}:1");
        Assert.Contains(view.GetProperty("latest").EnumerateArray(), m => m.GetProperty("quantity").GetString() == "pm10" && m.GetProperty("value").GetDouble() == 66.04);
    }

    [Theory]
    [InlineData(null, "1", "X-Sensor")]
    [InlineData("esp8266-1", null, "X-Pin")]
    [InlineData("esp 8266/../x", "1", "sensor")]
    [InlineData("esp8266-1", "abc", "X-Pin")]
    public async Task Push_with_bad_headers_gets_400_saying_which(string? sensor, string? pin, string mentions)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/push-sensor-data/")
        {
            Content = new StringContent("""{"sensordatavalues":[{"value_type":"P1","value":"1"}]}""", Encoding.UTF8, "application/json"),
        };
        if (sensor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Sensor", sensor);
        }

        if (pin is not null)
        {
            request.Headers.Add("X-Pin", pin);
        }

        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var reason = (await response.JsonAsync()).GetProperty("rejections")[0].GetProperty("reason").GetString();
        Assert.Contains(mentions, reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Accepted_readings_are_archived_by_hour()
    {
        var id = NewId();
        await PostNdjson($$$"""{"sensorId":"{{{id}}}","timestamp":"{{{Now}}}","values":{"pm25":1}}""");
        await Host.CheckpointAsync(); // the archive trails the 2xx (the ingest log is what makes it durable)
        var files = Directory.GetFiles(Path.Combine(Host.DataDirectory, "archive"), "*.ndjson", SearchOption.AllDirectories);
        Assert.Contains(files, f => File.ReadAllText(f).Contains(id, StringComparison.Ordinal));
        Assert.All(files, f => Assert.Matches(@"archive[/\\]\d{4}[/\\]\d{2}[/\\]\d{2}[/\\]\d{2}\.ndjson$", f));
    }

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        Assert.Equal("ok", await Client.GetStringAsync("/healthz"));
        Assert.Equal("ready", await Client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Bad_sensor_ids_in_queries_get_400()
    {
        var response = await Client.GetAsync("/api/v1/sensors/" + new string('x', 200));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostNdjson(params string[] lines) => Client.PostNdjsonAsync(lines);

    private static string NewId() => $"http-{Guid.NewGuid():N}";
}
