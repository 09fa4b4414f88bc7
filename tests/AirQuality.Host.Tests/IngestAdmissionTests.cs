using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AirQuality.Ingest;
using AirQuality.Ingest.Http;

namespace AirQuality.Host.Tests;

/// <summary>The per-client reading budget: a client past it gets 429 with Retry-After, another client does not.</summary>
public sealed class IngestRateLimitTests() : HostTest(new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string>
{
    ["Ingest:RequireApiKey"] = "true",
    ["Ingest:ApiKeySha256:0"] = ApiKeys.Sha256Of(KeyA),
    ["Ingest:ApiKeySha256:1"] = ApiKeys.Sha256Of(KeyB),
    ["Ingest:RateLimitReadingsPerSecond"] = "1",
    ["Ingest:RateLimitBurstReadings"] = "5",
}))
{
    private const string KeyA = "fleet-a-key";
    private const string KeyB = "fleet-b-key";

    [Fact]
    public async Task A_client_past_its_reading_budget_gets_429_while_another_client_does_not()
    {
        // Ten readings from a budget of five: taken whole (a request is never cut off half-way), and the debt is owed.
        var first = await Post(KeyA, 10);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(10, (await first.JsonAsync()).GetProperty("accepted").GetInt32());

        var refused = await Post(KeyA, 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var wait = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value.TotalSeconds, 2, 10);
        Assert.Contains("Ingest:RateLimitReadingsPerSecond", (await refused.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);

        var other = await Post(KeyB, 3);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(3, (await other.JsonAsync()).GetProperty("accepted").GetInt32());
    }

    private Task<HttpResponseMessage> Post(string key, int readings)
    {
        var id = $"rate-{Guid.NewGuid():N}";
        return Client.PostNdjsonAsync(Enumerable.Range(1, readings).Select(i => ReadingPosts.Line(id, DateTimeOffset.UtcNow.AddMinutes(-i), i)), key);
    }
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
