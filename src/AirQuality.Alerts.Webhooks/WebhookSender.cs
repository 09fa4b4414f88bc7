using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AirQuality.Alerts.Webhooks;

/// <summary>POSTs one stored CloudEvent to one webhook URL and classifies the answer.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, TimeProvider time)
{
    /// <summary>The media type of a structured-mode CloudEvent in JSON.</summary>
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The named HttpClient (its Timeout is <see cref="AlertDeliveryOptions.RequestTimeout"/> of <see cref="WebhookOptions"/>).</summary>
    public const string HttpClientName = "AirQuality.Webhooks";

    public async Task<SendOutcome> SendAsync(Uri url, string cloudEventJson, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var content = new StringContent(cloudEventJson, Encoding.UTF8, ContentType);
        try
        {
            using var response = await http.PostAsync(url, content, cancellationToken);
            return Classify(response.StatusCode, response.Headers.RetryAfter, time.GetUtcNow());
        }
        catch (HttpRequestException e)
        {
            return new(SendResult.Retry, $"unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(SendResult.Retry, $"no answer within {http.Timeout}");
        }
    }

    public static SendOutcome Classify(HttpStatusCode status, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var code = (int)status;
        var reason = $"HTTP {code} ({status})";
        return code switch
        {
            >= 200 and < 300 => new(SendResult.Delivered),
            429 or 503 => new(SendResult.Retry, reason, Delay(retryAfter, now)),
            408 => new(SendResult.Retry, reason),
            >= 400 and < 500 => new(SendResult.Rejected, reason),
            _ => new(SendResult.Retry, reason),
        };
    }

    private static TimeSpan? Delay(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) => retryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };
}
