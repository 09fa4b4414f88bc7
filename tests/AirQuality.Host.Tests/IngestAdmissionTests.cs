using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AirQuality.Ingest;
using AirQuality.Ingest.Http;

namespace AirQuality.Host.Tests;

/// <summary>The per-client reading budget: a client past it gets 429 with Retry-After, another client does not.</summary>
public sealed class IngestRateLimitTests : IAsyncLifetime
{
    private const string KeyA = "fleet-a-key";
    private const string KeyB = "fleet-b-key";

    private readonly HostFactory _host = new(HostFactory.NewDataDirectory(), new Dictionary<string, string>
    {
        ["Ingest:RequireApiKey"] = "true",
        ["Ingest:ApiKeySha256:0"] = Sha256(KeyA),
        ["Ingest:ApiKeySha256:1"] = Sha256(KeyB),
        ["Ingest:RateLimitReadingsPerSecond"] = "1",
        ["Ingest:RateLimitBurstReadings"] = "5",
    });

    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_client_past_its_reading_budget_gets_429_while_another_client_does_not()
    {
        // Ten readings from a budget of five: taken whole (a request is never cut off half-way), and the debt is owed.
        var first = await Post(KeyA, 10);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(10, (await Json(first)).GetProperty("accepted").GetInt32());

        var refused = await Post(KeyA, 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var wait = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalSeconds, 2, 10);
        Assert.Contains("Ingest:RateLimitReadingsPerSecond", (await Json(refused)).GetProperty("error").GetString(), StringComparison.Ordinal);

        var other = await Post(KeyB, 3);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(3, (await Json(other)).GetProperty("accepted").GetInt32());
    }

    private async Task<HttpResponseMessage> Post(string key, int readings)
    {
        var id = $"rate-{Guid.NewGuid():N}";
        var lines = Enumerable.Range(1, readings).Select(i =>
            $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-i):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{i}}}}}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/readings")
        {
            Content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Add("X-Api-Key", key);
        return await _client.SendAsync(request);
    }

    private static string Sha256(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}

/// <summary>
/// Ingest work in flight is bounded: past the requests in flight and the bounded queue, no place is given (the
/// endpoints answer 503 with Retry-After), and a place freed is given to the oldest waiting request.
/// </summary>
public sealed class IngestConcurrencyTests
{
    private static IngestAdmission Admission(int inFlight, int queued) =>
        new(Microsoft.Extensions.Options.Options.Create(new IngestOptions { MaxConcurrentRequests = inFlight, MaxQueuedRequests = queued }), TimeProvider.System);

    [Fact]
    public async Task Past_the_requests_in_flight_and_the_queue_no_place_is_given_until_one_is_freed()
    {
        using var admission = Admission(inFlight: 1, queued: 1);
        var first = await admission.EnterAsync(CancellationToken.None);
        Assert.NotNull(first);

        var waiting = admission.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted, "the second request waits in the queue");
        Assert.Null(await admission.EnterAsync(CancellationToken.None));

        first.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(second);
    }

    [Fact]
    public async Task A_client_gone_while_waiting_leaves_the_queue()
    {
        using var admission = Admission(inFlight: 1, queued: 1);
        using var first = await admission.EnterAsync(CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var waiting = admission.EnterAsync(gone.Token).AsTask();

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        var next = admission.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted, "the freed queue place is taken by the next request");
    }
}
