using System.Net;
using System.Text;
using System.Text.Json;

namespace AirQuality.Gateway.Tests;

/// <summary>The embedded host at the default settings (anonymous reading) with one sensor.</summary>
public sealed class RestReadFixture : IAsyncLifetime
{
    public const string SensorId = "rest-1";

    public HostFactory Host { get; } = new();

    public async Task InitializeAsync()
    {
        using var ingest = Host.CreateClient();
        await ReadingPosts.PostReadingAsync(ingest, SensorId, DateTimeOffset.UtcNow.AddMinutes(-2), 12, (52.52, 13.40, "DE"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>REST and CSV reads: anonymous by default, and every bad parameter is a 400 whose JSON "error" names it.</summary>
public sealed class RestReadTests(RestReadFixture fixture) : IClassFixture<RestReadFixture>
{
    public static TheoryData<string> Reads() => new()
    {
        "/api/v1/sensors/rest-1",
        "/api/v1/sensors/rest-1/alerts",
        "/api/v1/sensors/rest-1/history?quantity=pm25",
        "/api/v1/sensors?bbox=13,52,14,53",
        "/api/v1/export.csv?sensor=rest-1&quantity=pm25",
    };

    /// <summary>A bad parameter on every REST and CSV read, and the word its error must contain.</summary>
    public static TheoryData<string, string> BadParameters() => new()
    {
        { "/api/v1/sensors/rest-1/history?quantity=pm25&from=yesterday", "from" },
        { "/api/v1/sensors/rest-1/history?quantity=pm25&to=2026-13-45", "to" },
        { "/api/v1/sensors/rest-1/history?quantity=pm25&interval=week", "interval" },
        { "/api/v1/sensors/rest-1/history", "quantity" },
        { "/api/v1/sensors/bad%20id", "sensor id" },
        { "/api/v1/sensors/bad%20id/alerts", "sensor id" },
        { "/api/v1/sensors/bad%20id/history?quantity=pm25", "sensor id" },
        { "/api/v1/sensors?bbox=1,2,3", "bbox" },
        { "/api/v1/sensors?near=a,b,c", "near" },
        { "/api/v1/sensors?country=DE&first=many", "first" },
        { "/api/v1/sensors?country=DE&minIndex=1.5", "minIndex" },
        { "/api/v1/sensors?country=DE&maxIndex=x", "maxIndex" },
        { "/api/v1/sensors?country=DE&standard=who", "standard" },
        { "/api/v1/sensors?country=DE&status=asleep", "status" },
        { "/api/v1/export.csv?quantity=pm25", "sensor" },
        { "/api/v1/export.csv?sensor=rest-1", "quantity" },
        { "/api/v1/export.csv?sensor=rest-1&quantity=pm25&from=soon", "from" },
        { "/api/v1/export.csv?sensor=rest-1&quantity=pm25&to=later", "to" },
        { "/api/v1/export.csv?sensor=rest-1&quantity=pm25&interval=week", "interval" },
        { "/api/v1/export.csv?bbox=1,2&quantity=pm25", "bbox" },
        { "/api/v1/export.csv?country=Germany&quantity=pm25", "country" },
        { "/api/v1/export.csv?sensor=..&quantity=pm25", "path segment" },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Reads_are_anonymous_by_default(string path)
    {
        using var http = fixture.Host.CreateClient();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task A_bad_parameter_is_400_with_a_json_error_naming_it(string path, string named)
    {
        using var http = fixture.Host.CreateClient();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(text), $"{path}: empty 400");
        Assert.Contains(named, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task A_reading_for_a_dot_segment_id_is_rejected_with_the_reason(string id)
    {
        using var http = fixture.Host.CreateClient();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var json = "{\"sensorId\":\"" + id + "\",\"timestamp\":\"" + at + "\",\"values\":{\"pm25\":5}}";
        using var response = await http.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Contains("path segment", body.GetProperty("rejections")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dot_segment_id_is_refused_by_graphql()
    {
        using var http = fixture.Host.CreateClient();
        var (_, body, _) = await new GraphQLClient(http).PostAsync("""{ sensor(id: "..") { id } }""");
        Assert.Contains("path segment", GraphQLClient.FirstError(body), StringComparison.Ordinal);
    }
}
