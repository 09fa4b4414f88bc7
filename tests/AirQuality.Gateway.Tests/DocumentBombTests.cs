using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Tests;

/// <summary>A host at the default limits whose log entries are recorded, for documents built to hurt the parser and validators.</summary>
public sealed class DocumentBombFixture : IAsyncLifetime
{
    public DocumentBombFixture()
    {
        Host = new HostFactory(services: services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    public LogCapture Logs { get; } = new();

    public HostFactory Host { get; }

    public GraphQLClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = new GraphQLClient(Host.CreateClient());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Documents nested 5,000 deep, fragment chains and fans, and huge strings get a clean 400 with a documented code,
/// the host keeps serving, and the log holds no stack trace nor the client's document.
/// </summary>
public sealed class DocumentBombTests(DocumentBombFixture fixture) : IClassFixture<DocumentBombFixture>
{
    private const int Deep = 5000;

    public static TheoryData<string, string, string> Bombs() => new()
    {
        { "nested objects", "{ " + Repeat("a { ", Deep) + "id" + Repeat(" }", Deep) + " }", "MAX_DEPTH_EXCEEDED" },
        { "nested lists", "{ sensor(id: " + Repeat("[", Deep) + Repeat("]", Deep) + ") { id } }", "MAX_DEPTH_EXCEEDED" },
        { "nested object values", "{ sensor(id: " + Repeat("{a: ", Deep) + "1" + Repeat("}", Deep) + ") { id } }", "MAX_DEPTH_EXCEEDED" },

        // 2,000 fragments, each spreading the next, in 60 KB: before, the validators' recursion overflowed the stack and killed the host.
        { "fragment spread chain", "{...F0}" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"fragment F{i} on Query{{...F{i + 1}}}")) + "fragment F2000 on Query{__typename}", "MAX_DEPTH_EXCEEDED" },
        { "long fragment cycle", "{...F0}" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"fragment F{i} on Query{{...F{(i + 1) % 2000}}}")), "MAX_DEPTH_EXCEEDED" },
        { "fragment cycle", "{...F0} fragment F0 on Query{...F1} fragment F1 on Query{...F2} fragment F2 on Query{...F0}", "NO_FRAGMENT_CYCLES" },

        // 2 KB that expand to 2^40 selections: before, validation ran for minutes.
        { "fragment fan", "{...F0}" + string.Concat(Enumerable.Range(0, 40).Select(i => $"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}")) + "fragment F40 on Query{__typename}", "COMPLEXITY" },
        { "huge syntax error", "{ aqiScale(standard: UK_DAQI) { low " + new string('}', 60_000), "SYNTAX_ERROR" },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task A_bomb_is_a_clean_400_with_its_code_and_a_small_log(string kind, string query, string code)
    {
        fixture.Logs.Clear();
        var clock = Stopwatch.StartNew();
        var (status, body, _) = await fixture.Client.PostAsync(query);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{kind} took {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.True(body.ToString().Length < 1000, $"{kind}: the answer quotes the document: {body}");

        // Nothing at error level, no stack trace, and the client's document appears nowhere (a prefix of it would).
        var entries = fixture.Logs.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Warning);
        Assert.True(entries.Sum(e => e.Size) < 4000, $"{kind}: {entries.Sum(e => e.Size)} characters logged");
        Assert.DoesNotContain(entries, e => e.Message.Contains(query[..40], StringComparison.Ordinal));

        // The host is still there.
        Assert.Equal(1, (await fixture.Client.DataAsync("{ aqiScale(standard: UK_DAQI) { low } }")).GetProperty("aqiScale")[0].GetProperty("low").GetInt32());
    }

    [Fact]
    public async Task A_bomb_over_the_websocket_is_an_error_for_that_operation_and_the_socket_goes_on()
    {
        await using var client = await WsClient.ConnectAndInitAsync(fixture.Host);
        await client.SubscribeAsync("deep", "{ " + Repeat("a { ", Deep) + "id" + Repeat(" }", Deep) + " }");
        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("MAX_DEPTH_EXCEEDED", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());

        await client.SubscribeAsync("fine", "{ aqiScale(standard: UK_DAQI) { low } }");
        Assert.Equal("next", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Real_documents_with_fragments_still_run()
    {
        var data = await fixture.Client.DataAsync("""
            query { ...Scale }
            fragment Scale on Query { uk: aqiScale(standard: UK_DAQI) { ...Band } eu: aqiScale(standard: EU_EAQI_2024) { ...Band } }
            fragment Band on AqiBand { low high category }
            """);
        Assert.Equal(1, data.GetProperty("uk")[0].GetProperty("low").GetInt32());
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();
}

/// <summary>sensor(id) calls a grain: aliases of it cost Gateway:GrainCallComplexity each, so one document cannot fan out to thousands.</summary>
public sealed class GrainFanOutTests(DocumentBombFixture fixture) : IClassFixture<DocumentBombFixture>
{
    [Fact]
    public async Task Two_thousand_aliased_lookups_breach_the_complexity_limit_before_any_grain_is_called()
    {
        var query = Aliases(2000);
        Assert.True(Encoding.UTF8.GetByteCount(query) < 64 * 1024, "the document must fit the default MaxRequestBytes");
        var (status, body, _) = await fixture.Client.PostAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_few_hundred_lookups_still_run()
    {
        var data = await fixture.Client.DataAsync(Aliases(400));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("s399").ValueKind);
    }

    [Fact]
    public async Task Per_sensor_history_in_a_large_page_is_costed_per_sensor()
    {
        const string query = """{ sensors(country: "DE", first: 500) { edges { node { history(quantity: "pm25", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { mean } } } } }""";
        var (status, body, _) = await fixture.Client.PostAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("COMPLEXITY", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    /// <summary>Lookups of one id by a variable: the shortest way to many grain calls per byte.</summary>
    private static string Aliases(int count) =>
        "query($i:ID!=\"fan-nobody\"){" + string.Concat(Enumerable.Range(0, count).Select(i => $"s{i}:sensor(id:$i){{id}}")) + "}";
}
