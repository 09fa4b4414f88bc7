using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests;

/// <summary>
/// Databases written by the host at commit 7501460, before grain classes had <c>[GrainType]</c> and grain
/// interfaces and serialised types had <c>[Alias]</c> (Fixtures/pre-aliases, see its README), opened by this
/// build: every sensor, the spatial index, the overview and the alerts must read back exactly as ingested.
/// A renamed grain type would read as empty state; a type name the serializer no longer resolves would fail.
/// </summary>
public sealed class PreAliasDatabaseTests(PreAliasHost host) : IClassFixture<PreAliasHost>
{
    private static readonly string[] SensorIds =
        ["fx-berlin-1", "fx-berlin-2", "fx-munich-1", "fx-paris-1", "fx-amsterdam-1", "fx-nolocation-1", "fx-hamburg-1"];

    /// <summary>The history window the fixture's capture asked for: END - 6 h to END + 1 h.</summary>
    private const string Window = "from=2026-12-06T15:30:00Z&to=2026-12-06T22:30:00Z";

    /// <summary>The GraphQL query of make-fixture.py, whose answer is in capture/before-stop.json.</summary>
    private const string CapturedQuery = """
        {
          de: sensors(country: "DE") { totalCount edges { node { id status lastSeen location { latitude longitude country indoor } } } }
          open: alerts { totalCount edges { node { id sensorId rule state severity raisedAt acknowledgedAt clearedAt triggerValue message } } }
          cleared: alerts(state: CLEARED) { totalCount edges { node { id sensorId rule state severity raisedAt clearedAt triggerValue message } } }
          grid: sensorGrid(bbox: [-180, -90, 180, 90], standard: US_EPA_2024, precision: 2) { key count online stale neverSeen withIndex aqiMax }
          tiles: sensorGrid(bbox: [-10, 35, 30, 60], standard: US_EPA_2024, precision: 3) { key count online stale neverSeen withIndex aqiMax }
        }
        """;

    private HttpClient Client => host.Client;

    [Fact]
    public async Task Every_sensor_has_its_location_latest_values_history_and_aqi()
    {
        string[] expected =
        [
            "fx-berlin-1 'Alexanderplatz' SDS011 at 52.52,13.405,34,DE,outdoor Online 19:30-21:30 " +
                "[pm25=14@21:30 pm10=26@21:30 temperature=3.3@21:30 humidity=80@21:30] " +
                "[us-epa-2024=57 Moderate pm25, uk-daqi=-, eu-eaqi-2024=2 Fair pm25] pm25 hours [19:00 n3, 20:00 n6, 21:00 n4]",
            "fx-berlin-2 - - at 52.5,13.42,-,DE,- Stale 19:35-21:10 " +
                "[pm25=12@21:10 pm10=21@21:10] " +
                "[us-epa-2024=-, uk-daqi=-, eu-eaqi-2024=2 Fair pm25] pm25 hours [19:00 n5, 20:00 n12, 21:00 n3]",
            "fx-munich-1 - - at 48.1372,11.5756,519,DE,outdoor Stale 16:30-17:30 " +
                "[pm25=10@17:30 pm10=14@17:30] " +
                "[us-epa-2024=-, uk-daqi=-, eu-eaqi-2024=-] pm25 hours [16:00 n2, 17:00 n3]",
            "fx-paris-1 - - at 48.8566,2.3522,-,FR,- Online 20:30-21:30 " +
                "[pm25=160@21:30 pm10=175@21:30 no2=46@21:30] " +
                "[us-epa-2024=42 Good no2, uk-daqi=2 Low no2, eu-eaqi-2024=5 Very poor pm25] pm25 hours [20:00 n3, 21:00 n4]",
            "fx-amsterdam-1 - - at 52.3676,4.9041,-,NL,outdoor Online 21:00-21:30 " +
                "[pm25=50@21:30 no2=40@21:30 o3=35@21:30] " +
                "[us-epa-2024=-, uk-daqi=-, eu-eaqi-2024=-] pm25 hours [21:00 n2]",
            "fx-nolocation-1 - - at nowhere Online 21:00-21:30 " +
                "[pm25=6@21:30] " +
                "[us-epa-2024=-, uk-daqi=-, eu-eaqi-2024=-] pm25 hours [21:00 n2]",
            "fx-hamburg-1 'Hamburg Hafen' - at 53.5461,9.9661,-,DE,indoor NeverSeen - " +
                "[] " +
                "[us-epa-2024=-, uk-daqi=-, eu-eaqi-2024=-] pm25 hours []",
        ];

        var actual = new List<string>();
        foreach (var id in SensorIds)
        {
            var view = await GetAsync($"/api/v1/sensors/{id}");
            var history = await GetAsync($"/api/v1/sensors/{id}/history?quantity=pm25&{Window}");
            actual.Add(DescribeSensor(view, history));
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task The_index_lists_the_sensors_by_country_bbox_and_circle_as_it_held_them()
    {
        // As the index holds them: a reporting sensor re-sends its summary at most once a minute, so some lag.
        Assert.Equal(
            ["fx-berlin-1 Online 21:30 57/-/2", "fx-berlin-2 Stale 19:35 -/-/-", "fx-hamburg-1 NeverSeen - -/-/-", "fx-munich-1 Stale 17:30 -/-/-", "total 4"],
            DescribeList(await GetAsync("/api/v1/sensors?country=DE")));
        Assert.Equal(["fx-paris-1 Online 21:30 42/2/5", "total 1"], DescribeList(await GetAsync("/api/v1/sensors?country=FR")));
        Assert.Equal(["fx-amsterdam-1 Stale 21:00 -/-/-", "total 1"], DescribeList(await GetAsync("/api/v1/sensors?country=NL")));
        Assert.Equal(
            ["fx-berlin-1 Online 21:30 57/-/2", "fx-berlin-2 Stale 19:35 -/-/-", "fx-hamburg-1 NeverSeen - -/-/-", "total 3"],
            DescribeList(await GetAsync("/api/v1/sensors?bbox=9,52,14,54")));
        Assert.Equal(["fx-paris-1 Online 21:30 42/2/5", "total 1"], DescribeList(await GetAsync("/api/v1/sensors?near=48.85,2.35,50")));

        var data = await GraphQLAsync("""
            {
              de: sensors(country: "DE") { totalCount edges { node { id status location { country } } } }
              nl: sensors(country: "nl") { totalCount edges { node { id status } } }
            }
            """);
        Assert.Equal(4, data.GetProperty("de").GetProperty("totalCount").GetInt32());
        Assert.Equal(
            ["fx-berlin-1 ONLINE DE", "fx-berlin-2 STALE DE", "fx-hamburg-1 NEVER_SEEN DE", "fx-munich-1 STALE DE"],
            Nodes(data.GetProperty("de")).Select(n => $"{n.GetProperty("id")} {n.GetProperty("status")} {n.GetProperty("location").GetProperty("country")}"));
        Assert.Equal(["fx-amsterdam-1 STALE"], Nodes(data.GetProperty("nl")).Select(n => $"{n.GetProperty("id")} {n.GetProperty("status")}"));
    }

    [Fact]
    public async Task The_overview_regions_count_the_sensors_per_cell()
    {
        var data = await GraphQLAsync("""
            {
              regions: sensorGrid(bbox: [-180, -90, 180, 90], standard: US_EPA_2024, precision: 2) { key count online stale neverSeen aqiMax }
              tiles: sensorGrid(bbox: [-10, 35, 30, 60], standard: EU_EAQI_2024, precision: 3) { key count online stale neverSeen aqiMax }
            }
            """);

        static IEnumerable<string> Cells(JsonElement cells) => cells.EnumerateArray().Select(c =>
            $"{c.GetProperty("key")} n{c.GetProperty("count")} on{c.GetProperty("online")} stale{c.GetProperty("stale")} never{c.GetProperty("neverSeen")} max{Text(c.GetProperty("aqiMax"))}");
        Assert.Equal(
            ["u0 n1 on1 stale0 never0 max42", "u1 n2 on0 stale1 never1 max-", "u2 n1 on0 stale1 never0 max-", "u3 n2 on1 stale1 never0 max57"],
            Cells(data.GetProperty("regions")));
        Assert.Equal(
            ["u09 n1 on1 stale0 never0 max5", "u17 n1 on0 stale1 never0 max-", "u1x n1 on0 stale0 never1 max-", "u28 n1 on0 stale1 never0 max-", "u33 n2 on1 stale1 never0 max2"],
            Cells(data.GetProperty("tiles")));
    }

    [Fact]
    public async Task The_open_acknowledged_and_cleared_alerts_are_those_raised()
    {
        const string Stuck = "fx-berlin-2/pm25-stuck/639321894263293144 pm25-stuck Active info 12 raised 21:30:26.3293144";
        const string Offline = "fx-munich-1/offline/639321894263551729 offline Acknowledged warning 240.43925288166668 raised 21:30:26.3551729 acknowledged 21:30:27.3106722";
        const string High = "fx-paris-1/pm25-high/639321894263741685 pm25-high Active critical 160 raised 21:30:26.3741685";
        var bySensor = new Dictionary<string, string[]>
        {
            ["fx-berlin-1"] = [],
            ["fx-berlin-2"] = [Stuck],
            ["fx-munich-1"] = [Offline],
            ["fx-paris-1"] = [High],
            ["fx-amsterdam-1"] = [],
            ["fx-nolocation-1"] = [],
            ["fx-hamburg-1"] = [],
        };
        foreach (var (id, expected) in bySensor)
        {
            var alerts = await GetAsync($"/api/v1/sensors/{id}/alerts");
            Assert.Equal(expected, alerts.EnumerateArray().Select(DescribeAlert));
        }

        // Across sensors, from the alert index's shards (newest raised first), and the cleared one it keeps.
        var data = await GraphQLAsync("""
            {
              open: alerts { totalCount edges { node { id state acknowledgedAt clearedAt } } }
              cleared: alerts(state: CLEARED) { totalCount edges { node { id state triggerValue raisedAt clearedAt message } } }
              munich: sensor(id: "fx-munich-1") { alerts { id state } }
              amsterdam: sensor(id: "fx-amsterdam-1") { alerts(state: CLEARED) { id state } }
            }
            """);
        Assert.Equal(3, data.GetProperty("open").GetProperty("totalCount").GetInt32());
        Assert.Equal(
            ["fx-paris-1/pm25-high/639321894263741685 ACTIVE", "fx-munich-1/offline/639321894263551729 ACKNOWLEDGED", "fx-berlin-2/pm25-stuck/639321894263293144 ACTIVE"],
            Nodes(data.GetProperty("open")).Select(n => $"{n.GetProperty("id")} {n.GetProperty("state")}"));
        var cleared = Assert.Single(Nodes(data.GetProperty("cleared")));
        Assert.Equal("fx-amsterdam-1/pm25-high/639321894263823386", cleared.GetProperty("id").GetString());
        Assert.Equal(130, cleared.GetProperty("triggerValue").GetDouble());
        Assert.Equal(Time("2026-12-06T21:30:26.3823386Z"), cleared.GetProperty("raisedAt").GetDateTimeOffset());
        Assert.Equal(Time("2026-12-06T21:30:26.3910159Z"), cleared.GetProperty("clearedAt").GetDateTimeOffset());
        Assert.Equal("pm25 130 µg/m³ is above 100", cleared.GetProperty("message").GetString());
        Assert.Equal("fx-munich-1/offline/639321894263551729 ACKNOWLEDGED", string.Join(",",
            data.GetProperty("munich").GetProperty("alerts").EnumerateArray().Select(a => $"{a.GetProperty("id")} {a.GetProperty("state")}")));
        Assert.Equal("fx-amsterdam-1/pm25-high/639321894263823386 CLEARED", string.Join(",",
            data.GetProperty("amsterdam").GetProperty("alerts").EnumerateArray().Select(a => $"{a.GetProperty("id")} {a.GetProperty("state")}")));
    }

    [Fact]
    public async Task Every_answer_is_the_one_the_old_host_gave_before_it_stopped()
    {
        using var captured = JsonDocument.Parse(await File.ReadAllTextAsync(PreAliasHost.FixturePath("capture", "before-stop.json")));
        var capture = captured.RootElement;
        var differences = new List<string>();
        foreach (var id in SensorIds)
        {
            Compare(capture.GetProperty(id).GetProperty("view"), await GetAsync($"/api/v1/sensors/{id}"), $"{id} view", differences);
            Compare(capture.GetProperty(id).GetProperty("alerts"), await GetAsync($"/api/v1/sensors/{id}/alerts"), $"{id} alerts", differences);
            Compare(capture.GetProperty(id).GetProperty("pm25"), await GetAsync($"/api/v1/sensors/{id}/history?quantity=pm25&{Window}"), $"{id} pm25", differences);
        }

        foreach (var (name, query) in new[] { ("de", "country=DE"), ("fr", "country=FR"), ("nl", "country=NL"), ("north-germany", "bbox=9,52,14,54"), ("near-paris", "near=48.85,2.35,50") })
        {
            Compare(capture.GetProperty("list-" + name), await GetAsync($"/api/v1/sensors?{query}"), "list " + name, differences);
        }

        Compare(capture.GetProperty("graphql"), await GraphQLAsync(CapturedQuery), "graphql", differences);
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> GraphQLAsync(string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/graphql", UriKind.Relative))
        {
            Content = JsonContent.Create(new { query }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        using var response = await Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body.GetProperty("data");
    }

    private static IEnumerable<JsonElement> Nodes(JsonElement connection) =>
        connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"));

    private static string DescribeSensor(JsonElement view, JsonElement history)
    {
        var text = new StringBuilder();
        text.Append(view.GetProperty("id").GetString())
            .Append(view.GetProperty("name").ValueKind == JsonValueKind.Null ? " -" : $" '{view.GetProperty("name").GetString()}'")
            .Append(' ').Append(Text(view.GetProperty("sensorType")))
            .Append(" at ");
        if (view.GetProperty("location") is { ValueKind: JsonValueKind.Object } l)
        {
            var indoor = l.GetProperty("indoor").ValueKind switch
            {
                JsonValueKind.True => "indoor",
                JsonValueKind.False => "outdoor",
                _ => "-",
            };
            text.Append(string.Join(',', Text(l.GetProperty("latitude")), Text(l.GetProperty("longitude")), Text(l.GetProperty("altitude")), Text(l.GetProperty("country")), indoor));
        }
        else
        {
            text.Append("nowhere");
        }

        text.Append(' ').Append(view.GetProperty("status").GetString()).Append(' ');
        text.Append(view.GetProperty("firstSeen").ValueKind == JsonValueKind.Null
            ? "-"
            : $"{Clock(view.GetProperty("firstSeen"))}-{Clock(view.GetProperty("lastSeen"))}");
        text.Append(" [").AppendJoin(' ', view.GetProperty("latest").EnumerateArray().Select(m =>
            $"{m.GetProperty("quantity").GetString()}={Text(m.GetProperty("value"))}@{Clock(m.GetProperty("timestamp"))}")).Append(']');
        text.Append(" [").AppendJoin(", ", view.GetProperty("aqi").EnumerateArray().Select(a =>
            a.GetProperty("index").ValueKind == JsonValueKind.Null
                ? $"{a.GetProperty("standard").GetString()}=-"
                : $"{a.GetProperty("standard").GetString()}={Text(a.GetProperty("index"))} {a.GetProperty("category").GetString()} {a.GetProperty("dominantPollutant").GetString()}")).Append(']');
        text.Append(" pm25 hours [").AppendJoin(", ", history.EnumerateArray().Select(h =>
            $"{Clock(h.GetProperty("periodStart"))} n{Text(h.GetProperty("count"))}")).Append(']');
        return text.ToString();
    }

    private static List<string> DescribeList(JsonElement page)
    {
        var lines = page.GetProperty("items").EnumerateArray().Select(s =>
            $"{s.GetProperty("id").GetString()} {s.GetProperty("status").GetString()} {Clock(s.GetProperty("lastSeen"))} " +
            $"{Text(s.GetProperty("usIndex"))}/{Text(s.GetProperty("ukIndex"))}/{Text(s.GetProperty("euIndex"))}").ToList();
        Assert.False(page.GetProperty("hasNextPage").GetBoolean());
        lines.Add($"total {page.GetProperty("totalCount").GetInt32()}");
        return lines;
    }

    private static string DescribeAlert(JsonElement a)
    {
        var text = $"{a.GetProperty("id").GetString()} {a.GetProperty("rule").GetString()} {a.GetProperty("state").GetString()} " +
            $"{a.GetProperty("severity").GetString()} {Text(a.GetProperty("triggerValue"))} raised {Precise(a.GetProperty("raisedAt"))}";
        if (a.GetProperty("acknowledgedAt").ValueKind != JsonValueKind.Null)
        {
            text += $" acknowledged {Precise(a.GetProperty("acknowledgedAt"))}";
        }

        Assert.Equal(JsonValueKind.Null, a.GetProperty("clearedAt").ValueKind);
        return text;
    }

    private static DateTimeOffset Time(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>A time on the fixture's day as HH:mm ("-" for null); any other day fails.</summary>
    private static string Clock(JsonElement time)
    {
        if (time.ValueKind == JsonValueKind.Null)
        {
            return "-";
        }

        var t = time.GetDateTimeOffset().ToUniversalTime();
        Assert.Equal(new DateTime(2026, 12, 6), t.Date);
        return t.ToString("HH:mm", CultureInfo.InvariantCulture);
    }

    private static string Precise(JsonElement time) =>
        time.GetDateTimeOffset().ToUniversalTime().ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "-",
        JsonValueKind.Number => value.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    /// <summary>
    /// Deep comparison of two JSON values, numbers by value; an AQI's validAt ("now" when it was asked) is
    /// skipped. Differences are added to <paramref name="differences"/> with their path.
    /// </summary>
    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        if (expected.ValueKind != actual.ValueKind && !(IsBool(expected) && IsBool(actual)))
        {
            differences.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Union(actual.EnumerateObject().Select(p => p.Name)).Where(n => n != "validAt");
                foreach (var name in names)
                {
                    if (!expected.TryGetProperty(name, out var e) || !actual.TryGetProperty(name, out var a))
                    {
                        differences.Add($"{path}.{name}: present on one side only");
                        continue;
                    }

                    Compare(e, a, $"{path}.{name}", differences);
                }

                break;
            case JsonValueKind.Array:
                if (expected.GetArrayLength() != actual.GetArrayLength())
                {
                    differences.Add($"{path}: expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()}: {actual.GetRawText()}");
                    return;
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Compare(expected[i], actual[i], $"{path}[{i}]", differences);
                }

                break;
            case JsonValueKind.Number:
                if (expected.GetDouble() != actual.GetDouble())
                {
                    differences.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
            case JsonValueKind.String:
                if (!string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal))
                {
                    differences.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
            default:
                if (expected.ValueKind != actual.ValueKind)
                {
                    differences.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
        }
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;
}

/// <summary>
/// The real host over a fresh copy of the fixture's databases, with the alert rule the fixture was made with,
/// on a clock that starts just after the old host stopped (2026-12-06T21:31:00Z) and runs at the real pace.
/// </summary>
public sealed class PreAliasHost : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 12, 6, 21, 31, 0, TimeSpan.Zero);

    private static readonly string[] Databases = ["grains.db", "index.db", "alerts.db"];

    private string _data = null!;
    private HostFactory _factory = null!;
    private WebApplicationFactory<Program> _host = null!;

    public HttpClient Client { get; private set; } = null!;

    public static string FixturePath(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", "pre-aliases", .. parts]);

    public Task InitializeAsync()
    {
        _data = HostFactory.NewDataDirectory();
        foreach (var file in Databases)
        {
            File.Copy(FixturePath(file), Path.Combine(_data, file));
        }

        _factory = new HostFactory(_data, new Dictionary<string, string>
        {
            ["Alerts:Rules:0:Id"] = "pm25-high",
            ["Alerts:Rules:0:Kind"] = "QuantityAbove",
            ["Alerts:Rules:0:Quantity"] = "Pm25",
            ["Alerts:Rules:0:Threshold"] = "100",
            ["Alerts:Rules:0:ClearThreshold"] = "80",
            ["Alerts:Rules:0:Severity"] = "critical",
        });
        var clock = new FixtureClock(Start);
        _host = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        Client = _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
        Directory.Delete(_data, recursive: true); // a copy: the fixture itself stays as it is
    }

    /// <summary>The real clock moved back to <paramref name="start"/>; its timers are the real ones.</summary>
    private sealed class FixtureClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan _offset = start - TimeProvider.System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _offset;
    }
}
