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
        if (!keys.IsAllowed(http.Request.Headers["X-Api-Key"]))
        {
            return Error(StatusCodes.Status401Unauthorized, "a valid X-Api-Key header is required");
        }

        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var layout = mediaType switch
        {
            "application/json" => CanonicalLayout.Json,
            "application/x-ndjson" or "application/jsonl" => CanonicalLayout.Ndjson,
            _ => (CanonicalLayout?)null,
        };
        if (layout is null)
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json or application/x-ndjson");
        }

        var body = await ReadBodyAsync(http, options.Value.MaxBodyBytes);
        if (body is null)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.Value.MaxBodyBytes} bytes");
        }

        var decoded = new CanonicalJsonDecoder(validator).Decode(body.Value.Span, layout.Value);
        return Answer(await ingestor.IngestAsync(decoded, "http-canonical", http.RequestAborted));
    }

    private static async Task<IResult> ReceivePushAsync(HttpContext http, ReadingIngestor ingestor, ReadingValidator validator, ApiKeyCheck keys, TimeProvider time, IOptions<IngestOptions> options)
    {
        if (!keys.IsAllowed(http.Request.Headers["X-Api-Key"]))
        {
            return Error(StatusCodes.Status401Unauthorized, "a valid X-Api-Key header is required");
        }

        var body = await ReadBodyAsync(http, options.Value.MaxBodyBytes);
        if (body is null)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.Value.MaxBodyBytes} bytes");
        }

        // Firmware names the node in X-Sensor; older firmware in Sensor or Node.
        var headers = http.Request.Headers;
        string? sensor = headers["X-Sensor"].FirstOrDefault() ?? headers["Sensor"].FirstOrDefault() ?? headers["Node"].FirstOrDefault();
        var decoded = new SensorCommunityPushDecoder(validator, time).Decode(sensor, headers["X-Pin"].FirstOrDefault(), body.Value.Span);
        return Answer(await ingestor.IngestAsync(decoded, "http-sc-push", http.RequestAborted));
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

    private static IResult Answer(IngestSummary summary) => Results.Json(
        new
        {
            accepted = summary.Accepted,
            rejected = summary.Rejected,
            rejectedValues = summary.RejectedValues,
            duplicates = summary.Duplicates,
            rejections = summary.Rejections,
        },
        statusCode: summary.Accepted > 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static IResult Error(int status, string message) =>
        Results.Json(new { error = message }, statusCode: status);
}
