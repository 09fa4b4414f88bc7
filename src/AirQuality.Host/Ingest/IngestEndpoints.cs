using System.Buffers;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Validation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AirQuality.Host.Ingest;

/// <summary>
/// POST /api/v1/readings (canonical JSON or NDJSON) and POST /v1/push-sensor-data/ (Sensor.Community
/// firmware). Both answer with counts and reasons (docs/http-ingest.md): 200 when anything was accepted,
/// 400 when nothing was, 401 without a valid key when keys are required, 413 over the size limit, 415 for
/// another content type.
/// </summary>
public static class IngestEndpoints
{
    public static void MapIngest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/readings", ReceiveCanonicalAsync);
        app.MapPost("/v1/push-sensor-data/", ReceivePushAsync);
    }

    private static async Task<IResult> ReceiveCanonicalAsync(HttpContext http, ReadingIngestor ingestor, ReadingValidator validator, ApiKeyCheck keys, IOptions<IngestOptions> options)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var layout = mediaType switch
        {
            "application/json" => CanonicalLayout.Json,
            "application/x-ndjson" or "application/jsonl" => CanonicalLayout.Ndjson,
            _ => (CanonicalLayout?)null,
        };
        var wrongType = layout is null
            ? Error(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json or application/x-ndjson")
            : null;
        var (refusal, body) = await AcceptAsync(http, keys, options.Value, wrongType);
        if (refusal is not null)
        {
            return refusal;
        }

        var decoded = new CanonicalJsonDecoder(validator).Decode(body.Span, layout!.Value);
        return await IngestAsync(http, ingestor, decoded, "http-canonical");
    }

    private static async Task<IResult> ReceivePushAsync(HttpContext http, ReadingIngestor ingestor, ReadingValidator validator, ApiKeyCheck keys, TimeProvider time, IOptions<IngestOptions> options)
    {
        var (refusal, body) = await AcceptAsync(http, keys, options.Value);
        if (refusal is not null)
        {
            return refusal;
        }

        // Firmware names the node in X-Sensor; older firmware in Sensor or Node.
        var headers = http.Request.Headers;
        string? sensor = headers["X-Sensor"].FirstOrDefault() ?? headers["Sensor"].FirstOrDefault() ?? headers["Node"].FirstOrDefault();
        var decoded = new SensorCommunityPushDecoder(validator, time).Decode(sensor, headers["X-Pin"].FirstOrDefault(), body.Span);
        return await IngestAsync(http, ingestor, decoded, "http-sc-push");
    }

    /// <summary>
    /// What both endpoints check, in this order: the key (401), the endpoint's own refusal of the request if
    /// any (415), then the size while reading the body (413).
    /// </summary>
    private static async Task<(IResult? Refusal, ReadOnlyMemory<byte> Body)> AcceptAsync(HttpContext http, ApiKeyCheck keys, IngestOptions options, IResult? requestRefusal = null)
    {
        if (!keys.IsAllowed(http.Request.Headers["X-Api-Key"]))
        {
            return (Error(StatusCodes.Status401Unauthorized, "a valid X-Api-Key header is required"), default);
        }

        if (requestRefusal is not null)
        {
            return (requestRefusal, default);
        }

        return await ReadBodyAsync(http, options.MaxBodyBytes) is { } body
            ? (null, body)
            : (Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxBodyBytes} bytes"), default);
    }

    /// <summary>The whole body, or null when it is over the limit (checked as it streams, not after).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http, long limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null; // enforced below, with our own answer instead of a reset connection
        }

        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>
    /// The summary, or 503 with Retry-After naming the sensors that could not take their readings now: all
    /// readings are archived and the others applied, and the same request sent again is safe.
    /// </summary>
    private static async Task<IResult> IngestAsync(HttpContext http, ReadingIngestor ingestor, Domain.Decoding.DecodeResult decoded, string source)
    {
        try
        {
            return Answer(await ingestor.IngestAsync(decoded, source, http.RequestAborted));
        }
        catch (IngestIncompleteException e)
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Json(
                new { error = "some sensors could not take their readings now; they are archived, send the same request again", failedSensors = e.FailedSensors },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult Answer(IngestSummary summary) => Results.Json(
        new
        {
            accepted = summary.Accepted,
            rejected = summary.Rejected,
            rejectedValues = summary.RejectedValues,
            duplicates = summary.Duplicates,
            archivedOnly = summary.ArchivedOnly,
            rejections = summary.Rejections,
        },
        statusCode: summary.Accepted > 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static IResult Error(int status, string message) =>
        Results.Json(new { error = message }, statusCode: status);
}
