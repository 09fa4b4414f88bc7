using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AirQuality.Host.Tests;

public class DurabilityTests
{
    [Fact]
    public async Task A_restarted_host_has_every_sensors_state()
    {
        var data = HostFactory.NewDataDirectory();
        var ids = Enumerable.Range(0, 20).Select(i => $"restart-{i}").ToArray();
        var now = DateTimeOffset.UtcNow;
        var lines = ids.SelectMany(id => Enumerable.Range(0, 6).Select(m =>
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{now.AddMinutes(-m * 5):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{m + 10}}},"pm10":{{{m + 20}}}}}"""));

        string before;
        await using (var first = new HostFactory(data))
        {
            using var client = first.CreateClient();
            var response = await client.PostNdjsonAsync(lines);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            before = await Views(client, ids);
        } // graceful shutdown: grains deactivate and write their state (write-behind is 5 s by default)

        await using var second = new HostFactory(data);
        using var again = second.CreateClient();
        Assert.Equal(before, await Views(again, ids));
    }

    [Fact]
    public async Task A_sensor_whose_stored_state_is_unreadable_fails_alone_and_the_client_is_asked_to_retry()
    {
        var data = HostFactory.NewDataDirectory();
        var now = DateTimeOffset.UtcNow;
        string Line(string id, int minutesAgo, double pm25) =>
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{now.AddMinutes(-minutesAgo):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{pm25}}}}}""";

        await using (var first = new HostFactory(data))
        {
            using var client = first.CreateClient();
            var response = await client.PostNdjsonAsync([Line("broken-1", 10, 5), Line("fine-1", 10, 6)]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        } // graceful shutdown writes both sensors' state

        // A damaged row, as a disk fault or a bad migration would leave it: the sensor's state cannot be read.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "grains.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var damage = db.CreateCommand();
            damage.CommandText = "UPDATE grain_state SET payload = x'00FF00FF' WHERE grain_id LIKE '%broken-1%';";
            Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        }

        await using var second = new HostFactory(data);
        using var again = second.CreateClient();
        var refused = await again.PostNdjsonAsync([Line("fine-1", 1, 7), Line("broken-1", 1, 8), Line("fine-2", 1, 9)]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("broken-1", Assert.Single(body.GetProperty("failedSensors").EnumerateArray()).GetString());
        Assert.DoesNotContain("Exception", body.ToString(), StringComparison.Ordinal);

        // The sensors beside it took their readings, and the host carries on.
        foreach (var (id, value) in new[] { ("fine-1", 7.0), ("fine-2", 9.0) })
        {
            var view = await again.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/sensors/{id}", UriKind.Relative));
            Assert.Contains(view.GetProperty("latest").EnumerateArray(), m => m.GetProperty("value").GetDouble() == value);
        }

        var next = await again.PostNdjsonAsync([Line("fine-3", 1, 10)]);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task With_keys_required_ingest_needs_a_valid_key()
    {
        const string key = "test-key-not-a-secret";
        var hash = ApiKeys.Sha256Of(key);
        await using var host = new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string>
        {
            ["Ingest:RequireApiKey"] = "true",
            ["Ingest:ApiKeySha256:0"] = hash,
        });
        using var client = host.CreateClient();
        var body = $$$"""{"sensorId":"keyed","timestamp":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":1}}""";

        var without = await client.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/readings") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        wrong.Headers.Add("X-Api-Key", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/v1/readings") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        right.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
    }

    [Fact]
    public void Bad_settings_fail_start_up_naming_the_setting()
    {
        Assert.Contains("Ingest:ApiKeySha256", StartFailure("Ingest:RequireApiKey", "true"), StringComparison.Ordinal);
        Assert.Contains("IngestLog:CheckpointInterval", StartFailure("IngestLog:CheckpointInterval", "00:00:00"), StringComparison.Ordinal);
    }

    private static string StartFailure(string setting, string value)
    {
        using var host = new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string> { [setting] = value });
        return Assert.ThrowsAny<Exception>(() => host.CreateClient()).ToString();
    }

    private static async Task<string> Views(HttpClient client, string[] ids)
    {
        var views = new StringBuilder();
        foreach (var id in ids)
        {
            var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}");
            // The AQI's validAt is "now" and moves between the two reads; everything else must be equal.
            views.Append(view.GetProperty("latest").GetRawText()).Append(view.GetProperty("firstSeen").GetRawText())
                .Append(await client.GetStringAsync($"/api/v1/sensors/{id}/history?quantity=pm10"));
        }

        return views.ToString();
    }
}
