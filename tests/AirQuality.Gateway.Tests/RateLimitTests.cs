using System.Net;
using System.Text;

namespace AirQuality.Gateway.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_client_over_its_limit_gets_429_with_Retry_After_and_other_clients_go_on()
    {
        // Two requests per hour: the window cannot roll over during the test.
        await using var host = new HostFactory(new Dictionary<string, string>
        {
            ["Gateway:RateLimitPermits"] = "2",
            ["Gateway:RateLimitWindow"] = "01:00:00",
        });
        using var http = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, apiKey: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, apiKey: null)).StatusCode);
        using var refused = await PostAsync(http, apiKey: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("RATE_LIMITED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another client (its own, configured API key) has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, apiKey: host.OperatorKey)).StatusCode);
    }

    [Fact]
    public void The_limit_settings_are_checked()
    {
        var problems = new GatewayOptions { RateLimitPermits = -1 }.Problems();
        Assert.Contains(problems, p => p.StartsWith("Gateway:RateLimitPermits", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/graphql", UriKind.Relative))
        {
            Content = new StringContent("""{"query":"{ aqiScale(standard: EU_EAQI_2024) { low } }"}""", Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await http.SendAsync(request);
    }
}
