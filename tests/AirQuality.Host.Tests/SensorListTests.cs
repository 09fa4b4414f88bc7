using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AirQuality.Host.Tests;

public sealed class SensorListTests() : HostTest(new HostFactory(HostFactory.NewDataDirectory()))
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var lines = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            // Six in Dresden, six in Lyon.
            var (lat, lon, cc) = i < 6 ? (51.05 + i * 0.01, 13.74, "DE") : (45.76 + i * 0.01, 4.83, "FR");
            lines.Add($$$"""{"sensorId":"list-{{{i:00}}}","timestamp":"{{{now:yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{10 + i}}}},"location":{"latitude":{{{lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"longitude":{{{lon.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"country":"{{{cc}}}"}}""");
        }

        var response = await Client.PostNdjsonAsync(lines);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Sensors_are_listed_by_bbox_near_and_country_and_paged()
    {
        var dresden = await Client.GetFromJsonAsync<JsonElement>("/api/v1/sensors?bbox=13.5,50.9,14.0,51.2");
        Assert.Equal(6, dresden.GetProperty("totalCount").GetInt32());

        var lyon = await Client.GetFromJsonAsync<JsonElement>("/api/v1/sensors?near=45.8,4.83,30");
        Assert.Equal(6, lyon.GetProperty("totalCount").GetInt32());

        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors?country=FR&first=4{(after is null ? "" : "&after=" + after)}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            after = page.GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("endCursor").GetString() : null;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(6, 6).Select(i => $"list-{i:00}"), ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?bbox=1,2,3")]
    [InlineData("?bbox=a,b,c,d")]
    [InlineData("?country=DE&standard=us-1999")]
    [InlineData("?country=DE&after=not-a-cursor")]
    [InlineData("?bbox=-180,-90,180,90")]
    public async Task Bad_or_unbounded_queries_get_400_with_a_reason(string query)
    {
        var response = await Client.GetAsync("/api/v1/sensors" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
