using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using StandaloneProgram = AirQuality.GatewayHost.Program;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// The gateway as its own app: an Orleans client of a silo in another host (here the embedded host, whose
/// own gateway is not used). Readings go in at the silo's host; queries, subscriptions, mutations and the
/// CSV export go through the standalone app, so everything it serves crosses the cluster boundary.
/// </summary>
public sealed class StandaloneFixture : IAsyncLifetime
{
    public HostFactory Silo { get; } = new(HostSettings.WithPm25HighRule());

    public StandaloneGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var _ = Silo.CreateClient(); // starts the silo first: the client connects at start-up
        Gateway = new StandaloneGateway(Silo.OrleansGatewayPort, Silo.ClusterId, Silo.OperatorKey);
        using var ready = Gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ready.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Silo.DisposeAsync();
    }
}

/// <summary>The standalone app, pointed at one silo's Orleans gateway port, knowing the same operator key.</summary>
public sealed class StandaloneGateway(int siloGatewayPort, string clusterId, string operatorKey, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<StandaloneProgram>
{
    public string OperatorKey => operatorKey;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("airq-gateway-host-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DataDirectory", _dataDirectory); // its ingest log and archive
        builder.UseSetting("Cluster:Gateways:0", $"127.0.0.1:{siloGatewayPort}");
        builder.UseSetting("Cluster:ClusterId", clusterId);
        builder.UseSetting("Cluster:ConnectTimeout", "00:00:30");
        builder.UseSetting("Gateway:Auth:ApiKeys:0:Name", "test-operator");
        builder.UseSetting("Gateway:Auth:ApiKeys:0:Sha256", ApiKeys.Sha256Of(operatorKey));
        builder.UseSetting("Gateway:Auth:ApiKeys:0:Roles:0", "AirQuality.Operator");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

public sealed class StandaloneGatewayTests(StandaloneFixture fixture) : IClassFixture<StandaloneFixture>
{
    [Fact]
    public async Task Queries_answer_from_the_cluster()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var ingest = fixture.Silo.CreateClient();
        await ReadingPosts.PostReadingAsync(ingest, $"sa-{run}", DateTimeOffset.UtcNow.AddMinutes(-2), 42, (59.33, 18.06, "SE"));

        using var http = fixture.Gateway.CreateClient();
        var data = await new GraphQLClient(http).DataAsync(
            $$"""{ sensor(id: "sa-{{run}}") { id location { country } latest { quantity value } } sensors(bbox: [18.0, 59.3, 18.1, 59.4]) { totalCount edges { node { id } } } }""");
        Assert.Equal("SE", data.GetProperty("sensor").GetProperty("location").GetProperty("country").GetString());
        Assert.Equal(42, data.GetProperty("sensor").GetProperty("latest")[0].GetProperty("value").GetDouble());
        Assert.Contains(data.GetProperty("sensors").GetProperty("edges").EnumerateArray(), e => e.GetProperty("node").GetProperty("id").GetString() == $"sa-{run}");
    }

    [Fact]
    public async Task SensorUpdated_carries_a_reading_accepted_by_a_silo_in_another_process()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var id = $"sa-live-{run}";
        using var ingest = fixture.Silo.CreateClient();
        await ReadingPosts.PostReadingAsync(ingest, id, DateTimeOffset.UtcNow.AddMinutes(-3), 10, (59.33, 18.06, "SE"));

        await using var client = await WsClient.ConnectAndInitAsync(fixture.Gateway);
        await client.SubscribeAsync("u", $$"""subscription { sensorUpdated(id: "{{id}}") { id latest { value } } }""");
        await client.RoundTripAsync(); // the watch is in place once the pong comes

        await ReadingPosts.PostReadingAsync(ingest, id, DateTimeOffset.UtcNow.AddMinutes(-1), 11);
        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        var sensor = next.GetProperty("payload").GetProperty("data").GetProperty("sensorUpdated");
        Assert.Equal(id, sensor.GetProperty("id").GetString());
        Assert.Equal(11, sensor.GetProperty("latest")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task AlertChanged_and_acknowledgeAlert_work_across_the_cluster_boundary()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var id = $"sa-alert-{run}";
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Gateway);
        await client.SubscribeAsync("a", $$"""subscription { alertChanged(sensorId: "{{id}}") { id rule state } }""");
        await client.RoundTripAsync();

        using var ingest = fixture.Silo.CreateClient();
        await ReadingPosts.PostReadingAsync(ingest, id, DateTimeOffset.UtcNow.AddMinutes(-1), 150, (59.33, 18.06, "SE"));
        var raised = (await client.ReceiveAsync()).GetProperty("payload").GetProperty("data").GetProperty("alertChanged");
        Assert.Equal("pm25-high", raised.GetProperty("rule").GetString());
        Assert.Equal("ACTIVE", raised.GetProperty("state").GetString());

        // The mutation goes through the standalone app's own auth, then to the sensor's grain in the silo.
        using var operatorHttp = fixture.Gateway.CreateClient();
        operatorHttp.DefaultRequestHeaders.Add("X-Api-Key", fixture.Gateway.OperatorKey);
        var acknowledged = await new GraphQLClient(operatorHttp).DataAsync(
            "mutation($id: ID!) { acknowledgeAlert(id: $id, note: \"on it\") { state } }", new { id = raised.GetProperty("id").GetString() });
        Assert.Equal("ACKNOWLEDGED", acknowledged.GetProperty("acknowledgeAlert").GetProperty("state").GetString());
        var change = (await client.ReceiveAsync()).GetProperty("payload").GetProperty("data").GetProperty("alertChanged");
        Assert.Equal("ACKNOWLEDGED", change.GetProperty("state").GetString());

        using var anonymous = fixture.Gateway.CreateClient();
        var (status, _, _) = await new GraphQLClient(anonymous).PostAsync(
            "mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }", new { id = raised.GetProperty("id").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_cleared_alert_is_listed_under_CLEARED_for_its_sensor_and_across_sensors()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var id = $"sa-cleared-{run}";
        using var ingest = fixture.Silo.CreateClient();
        await ReadingPosts.PostReadingAsync(ingest, id, DateTimeOffset.UtcNow.AddMinutes(-3), 150, (59.33, 18.06, "SE"));
        await ReadingPosts.PostReadingAsync(ingest, id, DateTimeOffset.UtcNow.AddMinutes(-2), 50);

        using var http = fixture.Gateway.CreateClient();
        var data = await new GraphQLClient(http).DataAsync(
            "query($id: ID!) { sensor(id: $id) { open: alerts { id } cleared: alerts(state: CLEARED) { id rule state clearedAt } } alerts(sensorId: $id, state: CLEARED) { totalCount edges { node { id } } } }",
            new { id });
        var sensor = data.GetProperty("sensor");
        Assert.Equal(0, sensor.GetProperty("open").GetArrayLength());
        var cleared = Assert.Single(sensor.GetProperty("cleared").EnumerateArray());
        Assert.Equal("pm25-high", cleared.GetProperty("rule").GetString());
        Assert.Equal("CLEARED", cleared.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, cleared.GetProperty("clearedAt").ValueKind);
        Assert.Equal(1, data.GetProperty("alerts").GetProperty("totalCount").GetInt32());
        Assert.Equal(cleared.GetProperty("id").GetString(), data.GetProperty("alerts").GetProperty("edges")[0].GetProperty("node").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_dashboard_the_ide_and_the_csv_export_are_served_at_the_same_urls()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var ingest = fixture.Silo.CreateClient();
        var hour = new DateTimeOffset(DateTime.UtcNow.Year, DateTime.UtcNow.Month, DateTime.UtcNow.Day, DateTime.UtcNow.Hour, 0, 0, TimeSpan.Zero).AddHours(-2);
        await ReadingPosts.PostReadingAsync(ingest, $"sa-csv-{run}", hour.AddMinutes(10), 21, (59.33, 18.06, "SE"));

        using var http = fixture.Gateway.CreateClient();
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/graphql/ui", UriKind.Relative))).StatusCode);

        var from = hour.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var to = hour.AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var csv = await http.GetStringAsync(new Uri($"/api/v1/export.csv?sensor=sa-csv-{run}&quantity=pm25&from={from}&to={to}", UriKind.Relative));
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith($"sa-csv-{run},", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clustering_from_the_Orleans_section_replaces_the_static_gateway_list()
    {
        // Cluster:Gateways points at a port nobody listens on; Orleans' own section names the silo.
        await using var gateway = new StandaloneGateway(LoopbackPorts.Free(), fixture.Silo.ClusterId, fixture.Gateway.OperatorKey, new Dictionary<string, string>
        {
            ["Orleans:Clustering:ProviderType"] = "Static",
            ["Orleans:Clustering:Gateways:0"] = $"127.0.0.1:{fixture.Silo.OrleansGatewayPort}",
            ["Orleans:ClusterId"] = fixture.Silo.ClusterId,
            ["Orleans:ServiceId"] = "airquality",
        });
        using var http = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Health_answers_and_readings_posted_to_the_gateway_host_reach_the_silo()
    {
        using var http = fixture.Gateway.CreateClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        // HTTP ingest is served here too (issue 10): the same pipeline as the embedded host's, over the cluster client.
        var id = $"sa-ingest-{Guid.NewGuid():N}";
        await ReadingPosts.PostReadingAsync(http, id, DateTimeOffset.UtcNow.AddMinutes(-1), 33);
        using var silo = fixture.Silo.CreateClient();
        var view = await silo.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/sensors/{id}", UriKind.Relative));
        Assert.Contains(view.GetProperty("latest").EnumerateArray(), m => m.GetProperty("quantity").GetString() == "pm25" && m.GetProperty("value").GetDouble() == 33);
    }
}

/// <summary>Start-up refuses bad cluster settings with a message that names them.</summary>
public sealed class StandaloneOptionsTests
{
    [Theory]
    [InlineData("Cluster:Gateways:0", "localhost", "Cluster:Gateways")]
    [InlineData("Cluster:Gateways:0", "127.0.0.1:70000", "Cluster:Gateways")]
    [InlineData("Cluster:ClusterId", " ", "Cluster:ClusterId")]
    [InlineData("Cluster:ConnectTimeout", "00:00:00", "Cluster:ConnectTimeout")]
    public void A_bad_setting_stops_start_up_naming_it(string key, string value, string named)
    {
        using var gateway = new StandaloneGateway(30000, "never-started", ApiKeys.New(), new Dictionary<string, string> { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => gateway.CreateClient());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_silo_within_the_connect_timeout_fails_start_up()
    {
        await using var gateway = new StandaloneGateway(LoopbackPorts.Free(), "nobody-home", ApiKeys.New(), new Dictionary<string, string> { ["Cluster:ConnectTimeout"] = "00:00:01" });
        Assert.ThrowsAny<Exception>(() => gateway.CreateClient());
    }
}
