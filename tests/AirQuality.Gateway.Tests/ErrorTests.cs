using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AirQuality.Contracts.Index;
using AirQuality.Gateway.Data;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>A host with tight limits, so every breach can be shown with a small document.</summary>
public sealed class LimitedHostFixture : IAsyncLifetime
{
    public HostFactory Host { get; } = new(new Dictionary<string, string>
    {
        ["Gateway:MaxDepth"] = "6",
        ["Gateway:MaxComplexity"] = "400",
        ["Gateway:MaxRequestBytes"] = "2048",
    });

    public GraphQLClient Client { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Http = Host.CreateClient();
        Client = new GraphQLClient(Http);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class ErrorTests(LimitedHostFixture fixture) : IClassFixture<LimitedHostFixture>
{
    private readonly GraphQLClient _client = fixture.Client;

    [Fact]
    public async Task A_body_that_is_not_json_is_400()
    {
        var (status, body, contentType) = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{ not json", Encoding.UTF8, "application/json"),
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(GraphQLClient.ResponseType, contentType);
        Assert.Contains("not valid JSON", GraphQLClient.FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_that_does_not_parse_is_400()
    {
        var (status, body, _) = await _client.PostAsync("{ sensor(id: ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task An_unknown_field_is_a_validation_error_400()
    {
        var (status, body, _) = await _client.PostAsync("{ sensor(id: \"x\") { colour } }");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("colour", GraphQLClient.FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_deep_a_document_is_refused()
    {
        var (status, _, _) = await _client.PostAsync("{ sensor(id: \"x\") { location { country } } }");
        Assert.Equal(HttpStatusCode.OK, status);

        var nested = "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }";
        (status, var body, _) = await _client.PostAsync(nested);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("depth", GraphQLClient.FirstError(body), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_list_costs_by_first_so_a_large_page_breaches_the_complexity_limit()
    {
        const string query = "query($first: Int) { sensors(country: \"DE\", first: $first) { edges { node { id status lastSeen } } } }";
        var (small, _, _) = await _client.PostAsync(query, new { first = 5 });
        Assert.Equal(HttpStatusCode.OK, small);

        var (status, body, _) = await _client.PostAsync(query, new { first = 400 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("complexity", GraphQLClient.FirstError(body), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_page_larger_than_the_maximum_is_a_clear_error()
    {
        var (status, body, _) = await _client.PostAsync("{ sensors(country: \"DE\", first: 501) { totalCount } }");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("first must be between 1 and 500 (got 501)", GraphQLClient.FirstError(body));
        Assert.Equal("PAGE_SIZE_EXCEEDED", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_mutation_over_get_is_405()
    {
        var (status, _, _) = await _client.GetAsync("mutation { acknowledgeAlert(id: \"a/b/1\") { id } }");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
    }

    [Theory]
    [InlineData("/graphql")]
    [InlineData("/graphql?query=%7B%20__typename%20%7D&variables=%7Bnot")]
    public async Task A_get_without_a_query_or_with_broken_variables_is_400(string url)
    {
        var (status, _, _) = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_subscription_over_http_is_refused()
    {
        var (status, body, _) = await _client.PostAsync("subscription { alertChanged(sensorId: \"x\") { id } }");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("WebSocket", GraphQLClient.FirstError(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_content_type_is_415()
    {
        var (status, _, _) = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{ aqiScale(standard: UK_DAQI) { low } }", Encoding.UTF8, "text/plain"),
        });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var (status, _, _) = await _client.PostAsync("{ aqiScale(standard: UK_DAQI) { low } }" + new string(' ', 4096));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task A_client_that_accepts_only_application_json_gets_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ aqiScale(standard: UK_DAQI) { low } }\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var (status, body, contentType) = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal(1, body.GetProperty("data").GetProperty("aqiScale")[0].GetProperty("low").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    public async Task A_legacy_client_naming_no_graphql_type_gets_application_json_with_200_even_for_a_syntax_error(string? accept)
    {
        // The GraphQL-over-HTTP spec's SHOULD for clients that predate application/graphql-response+json.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ aqiScale(standard: \"}", Encoding.UTF8, "application/json"),
        };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("errors", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_asks_for_the_graphql_type_gets_it_with_400_for_a_syntax_error()
    {
        var (status, _, contentType) = await _client.PostAsync("{ aqiScale(standard: ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(GraphQLClient.ResponseType, contentType);
    }

    [Fact]
    public async Task Errors_show_no_stack_traces()
    {
        var (_, body, _) = await _client.PostAsync("{ sensor(id: \"bad id with spaces\") { id } }");
        var text = body.ToString();
        Assert.Contains("sensor id contains", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stack", text, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A directory that answers only when cancelled: the execution timeout is what ends the request.</summary>
public sealed class TimeoutTests : IAsyncLifetime
{
    private readonly HostFactory _host = new(
        new Dictionary<string, string> { ["Gateway:ExecutionTimeout"] = "00:00:00.2" },
        services => services.AddSingleton<ISensorDirectoryQuery, HangingDirectory>());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_request_over_the_execution_timeout_is_stopped_with_a_clear_error()
    {
        using var http = _host.CreateClient();
        var (status, body, _) = await new GraphQLClient(http).PostAsync("{ sensors(country: \"DE\") { totalCount } }");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("TIMEOUT", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.StartsWith("the request ran longer than the limit of 0.2 s", GraphQLClient.FirstError(body), StringComparison.Ordinal);
    }

    private sealed class HangingDirectory : ISensorDirectoryQuery
    {
        public async Task<SensorPage> FindAsync(SensorQuery query, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public string CursorOf(SensorQuery query, string sensorId) => sensorId;
    }
}
