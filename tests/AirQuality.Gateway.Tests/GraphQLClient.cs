using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AirQuality.Gateway.Tests;

/// <summary>A plain HTTP GraphQL client: what a fetch() from a browser sends.</summary>
public sealed class GraphQLClient(HttpClient http)
{
    public const string ResponseType = "application/graphql-response+json";

    public async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> PostAsync(string query, object? variables = null)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> GetAsync(string query, string? variables = null)
    {
        var url = "/graphql?query=" + Uri.EscapeDataString(query) + (variables is null ? "" : "&variables=" + Uri.EscapeDataString(variables));
        return await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            if (request.Headers.Accept.Count == 0)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ResponseType));
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return (response.StatusCode, json, response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>The data of a response that must have no errors.</summary>
    public async Task<JsonElement> DataAsync(string query, object? variables = null)
    {
        var (status, body, _) = await PostAsync(query, variables);
        Assert.True(!body.TryGetProperty("errors", out var errors), errors.ToString());
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("data");
    }

    public static string FirstError(JsonElement body) => body.GetProperty("errors")[0].GetProperty("message").GetString()!;
}
