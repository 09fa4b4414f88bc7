using System.Net;
using System.Text.Json;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// The embedded host with Gateway:Auth:Reading=Authenticated (key "reader", no roles), and a standalone gateway
/// beside it at the default (anonymous reading): one access policy over REST, CSV and GraphQL in both apps.
/// </summary>
public sealed class EndpointAccessFixture : IAsyncLifetime
{
    public const string SensorId = "acc-1";

    public string ReaderKey { get; } = ApiKeys.New();

    public HostFactory Silo { get; private set; } = null!;

    public StandaloneGateway Standalone { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = new HostFactory(new Dictionary<string, string>
        {
            ["Gateway:Auth:Reading"] = "Authenticated",
            ["Gateway:Auth:ApiKeys:0:Name"] = "reader",
            ["Gateway:Auth:ApiKeys:0:Sha256"] = ApiKeys.Sha256Of(ReaderKey),
        });
        using var ingest = Silo.CreateClient();
        await ReadingPosts.PostReadingAsync(ingest, SensorId, DateTimeOffset.UtcNow.AddMinutes(-2), 12, (52.52, 13.40, "DE"));
        Standalone = new StandaloneGateway(Silo.OrleansGatewayPort, Silo.ClusterId, Silo.OperatorKey);
        using var ready = Standalone.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ready.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await Standalone.DisposeAsync();
        await Silo.DisposeAsync();
    }
}

public sealed class EndpointAccessTests(EndpointAccessFixture fixture) : IClassFixture<EndpointAccessFixture>
{
    private static string ReadPath(string path) => path.Replace("{id}", EndpointAccessFixture.SensorId, StringComparison.Ordinal);

    public static TheoryData<string> RestReads() => new()
    {
        "/api/v1/sensors/{id}",
        "/api/v1/sensors/{id}/alerts",
        "/api/v1/sensors/{id}/history?quantity=pm25",
        "/api/v1/sensors?bbox=13,52,14,53",
        "/api/v1/export.csv?sensor={id}&quantity=pm25",
    };

    [Theory]
    [MemberData(nameof(RestReads))]
    public async Task A_rest_or_csv_read_without_a_key_is_401_with_a_challenge_and_a_json_error(string path)
    {
        using var http = fixture.Silo.CreateClient();
        using var response = await http.GetAsync(new Uri(ReadPath(path), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, c => c.Scheme == "ApiKey");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("UNAUTHENTICATED", body.GetProperty("code").GetString());
        Assert.Contains("X-Api-Key", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RestReads))]
    public async Task A_rest_or_csv_read_with_a_key_is_200_and_with_a_wrong_key_401(string path)
    {
        using var http = fixture.Silo.CreateClient();
        using (var request = new HttpRequestMessage(HttpMethod.Get, ReadPath(path)))
        {
            request.Headers.Add("X-Api-Key", fixture.ReaderKey);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Get, ReadPath(path));
        wrong.Headers.Add("X-Api-Key", ApiKeys.New());
        using var refused = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid API key", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GraphQL_over_http_follows_the_same_policy()
    {
        const string read = "{ aqiScale(standard: UK_DAQI) { low } }";
        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthHttp.SendAsync(fixture.Silo, read)).Status);
        Assert.Equal(HttpStatusCode.OK, (await AuthHttp.SendAsync(fixture.Silo, read, apiKey: fixture.ReaderKey)).Status);
    }

    [Fact]
    public async Task Public_endpoints_answer_without_a_key()
    {
        using var http = fixture.Silo.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/graphql/ui", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_standalone_gateway_at_the_default_reads_anonymously()
    {
        using var http = fixture.Standalone.CreateClient();
        using var csv = await http.GetAsync(new Uri(ReadPath("/api/v1/export.csv?sensor={id}&quantity=pm25"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var data = await new GraphQLClient(http).DataAsync($$"""{ sensor(id: "{{EndpointAccessFixture.SensorId}}") { id } }""");
        Assert.Equal(EndpointAccessFixture.SensorId, data.GetProperty("sensor").GetProperty("id").GetString());
    }
}
