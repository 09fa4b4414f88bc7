using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AirQuality.Host.Tests;

/// <summary>
/// The two deployables side by side as real processes, as `dotnet run --project src/AirQuality.Silo` and
/// `dotnet run --project src/AirQuality.GatewayHost` run them: the silo with no settings but its ports, the gateway
/// host told only where the silo's gateway is. A reading posted to the gateway host is answered 200 and is then
/// visible through its /graphql, so ingest and queries both cross the client-silo boundary.
/// </summary>
public sealed class SiloAndGatewayHostTests
{
    [Fact]
    public async Task A_reading_posted_to_the_gateway_host_is_visible_through_its_graphql()
    {
        await using var silo = await HostProcess.StartAsync(AppAssembly("AirQuality.Silo"), HostFactory.NewDataDirectory());
        await using var gateway = await HostProcess.StartAsync(
            AppAssembly("AirQuality.GatewayHost"),
            HostFactory.NewDataDirectory(),
            new Dictionary<string, string> { ["Cluster:Gateways:0"] = $"127.0.0.1:{silo.GatewayPort}" });
        using var client = new HttpClient { BaseAddress = gateway.Url };

        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var reading = new StringContent($$$"""{"sensorId":"two-process-1","timestamp":"{{{at}}}","values":{"pm25":17.5}}""", Encoding.UTF8, "application/json");
        var posted = await client.PostAsync(new Uri("/api/v1/readings", UriKind.Relative), reading);
        Assert.True(posted.StatusCode == HttpStatusCode.OK, $"{(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}\n{gateway.Output}");

        var answer = await client.PostAsJsonAsync(new Uri("/graphql", UriKind.Relative), new
        {
            query = """query($id: ID!) { sensor(id: $id) { latest { quantity value } } }""",
            variables = new { id = "two-process-1" },
        });
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.IsSuccessStatusCode, body.GetRawText());
        var latest = body.GetProperty("data").GetProperty("sensor").GetProperty("latest");
        var pm25 = Assert.Single(latest.EnumerateArray(), m => m.GetProperty("quantity").GetString() == "pm25");
        Assert.Equal(17.5, pm25.GetProperty("value").GetDouble());
    }

    /// <summary>An app's own build output (Release or Debug, as these tests were built), next to its runtimeconfig.</summary>
    private static string AppAssembly(string project)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{project}.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project references {project} so its build lands here");
        return path;
    }
}
