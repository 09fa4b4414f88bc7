using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AirQuality.Testing;

/// <summary>Readings posted to the host's ingest endpoint (POST /api/v1/readings) as a device or an importer would.</summary>
public static class ReadingPosts
{
    public const string Path = "/api/v1/readings";

    /// <summary>A timestamp as canonical readings carry it: UTC, whole seconds, e.g. 2026-11-23T10:00:00Z.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>One canonical reading of PM2.5 (a JSON object, or one NDJSON line), with a location if given.</summary>
    public static string Line(string sensorId, DateTimeOffset at, double pm25, (double Lat, double Lon, string Country)? location = null)
    {
        var where = location is { } l
            ? string.Create(CultureInfo.InvariantCulture, $",\"location\":{{\"latitude\":{l.Lat},\"longitude\":{l.Lon},\"country\":\"{l.Country}\"}}")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"{{\"sensorId\":\"{sensorId}\",\"timestamp\":\"{Timestamp(at)}\",\"values\":{{\"pm25\":{pm25}}}{where}}}");
    }

    /// <summary>Posts readings as NDJSON, one per line, with the ingest API key if given.</summary>
    public static async Task<HttpResponseMessage> PostNdjsonAsync(this HttpClient client, IEnumerable<string> lines, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Path, UriKind.Relative))
        {
            Content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"),
        };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Posts a JSON body (one reading, or an array of them).</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string json)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PostAsync(new Uri(Path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary>Posts one reading of PM2.5 (see <see cref="Line"/>) and checks that the host took it (200).</summary>
    public static async Task PostReadingAsync(HttpClient client, string sensorId, DateTimeOffset at, double pm25, (double Lat, double Lon, string Country)? location = null)
    {
        using var response = await client.PostJsonAsync(Line(sensorId, at, pm25, location));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The JSON body of a response.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
