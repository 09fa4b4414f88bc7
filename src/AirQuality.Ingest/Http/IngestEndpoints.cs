using System.Globalization;
using System.Text.Json;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Validation;
using AirQuality.Ingest.Pipeline;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AirQuality.Ingest.Http;

/// <summary>
/// POST /api/v1/readings (canonical JSON or NDJSON) and POST /v1/push-sensor-data/ (Sensor.Community
/// firmware). Both answer with counts and reasons (docs/http-ingest.md): 200 when anything was accepted,
/// 400 when nothing was, 401 without a valid key when keys are required, 413 over the size limit, 415 for
/// another content type or content coding, 429 past the client's reading budget, 503 when the host has as much
/// ingest work as it takes.
/// </summary>
/// <remarks>
/// A canonical body is decoded and ingested piece by piece (Ingest:PieceBytes) as it arrives, so a request holds
/// one piece, not its body. Each piece is durable before the next is read; when the body turns out to be bad
/// further on (damaged compression, over a limit), the answer is that error together with the counts of what
/// was accepted before it. Sending the same request again is always safe: a reading applied twice changes nothing.
/// </remarks>
public static class IngestEndpoints
{
    public static void MapIngest(this IEndpointRouteBuilder app)
    {
        IngestBody.RequireCompleteCompressedStreams();
        app.MapPost("/api/v1/readings", ReceiveCanonicalAsync);
        app.MapPost("/v1/push-sensor-data/", ReceivePushAsync);
    }

    private static async Task<IResult> ReceiveCanonicalAsync(
        HttpContext http, ReadingIngestor ingestor, ReadingValidator validator, ApiKeyCheck keys, IngestAdmission admission, IngestMetrics metrics, IOptions<IngestOptions> options)
    {
        const string source = "http-canonical";
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
        var settings = options.Value;
        var door = await EnterAsync(http, keys, admission, metrics, settings, source, wrongType);
        if (door.Refusal is not null)
        {
            return door.Refusal;
        }

        using var lease = door.Lease;
        var answer = new Answer(settings.MaxRejectionsReported);
        try
        {
            await using var body = IngestBody.Open(http.Request.Body, door.Coding, settings.MaxBodyBytes, settings.MaxDecompressionRatio);
            var decoder = new CanonicalJsonDecoder(validator);
            await foreach (var piece in decoder.DecodePiecesAsync(body, layout!.Value, settings.PieceBytes, http.RequestAborted))
            {
                admission.Charge(door.Client, piece.RecordCount);
                await answer.IngestAsync(ingestor, piece, source, http.RequestAborted);
            }
        }
        catch (Exception e) when (BodyProblem(e, door.Coding) is { } problem)
        {
            metrics.Refused(source, problem.Status == StatusCodes.Status413PayloadTooLarge ? "too_large" : "bad_encoding");
            return answer.Result(http, problem.Status, problem.Message);
        }

        return answer.Result(http);
    }

    private static async Task<IResult> ReceivePushAsync(
        HttpContext http, ReadingIngestor ingestor, ReadingValidator validator, ApiKeyCheck keys, IngestAdmission admission, IngestMetrics metrics, TimeProvider time, IOptions<IngestOptions> options)
    {
        const string source = "http-sc-push";
        var settings = options.Value;
        var door = await EnterAsync(http, keys, admission, metrics, settings, source);
        if (door.Refusal is not null)
        {
            return door.Refusal;
        }

        using var lease = door.Lease;
        byte[] bytes;
        try
        {
            // A push is one record: it is read whole, but never more than a piece of it.
            await using var body = IngestBody.Open(http.Request.Body, door.Coding, Math.Min(settings.MaxBodyBytes, settings.PieceBytes), settings.MaxDecompressionRatio);
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy, http.RequestAborted);
            bytes = copy.ToArray();
        }
        catch (Exception e) when (BodyProblem(e, door.Coding) is { } problem)
        {
            metrics.Refused(source, problem.Status == StatusCodes.Status413PayloadTooLarge ? "too_large" : "bad_encoding");
            return Error(problem.Status, problem.Message);
        }

        admission.Charge(door.Client, 1);

        // Firmware names the node in X-Sensor; older firmware in Sensor or Node.
        var headers = http.Request.Headers;
        string? sensor = headers["X-Sensor"].FirstOrDefault() ?? headers["Sensor"].FirstOrDefault() ?? headers["Node"].FirstOrDefault();
        var decoded = new SensorCommunityPushDecoder(validator, time).Decode(sensor, headers["X-Pin"].FirstOrDefault(), bytes);
        var answer = new Answer(settings.MaxRejectionsReported);
        await answer.IngestAsync(ingestor, decoded, source, http.RequestAborted);
        return answer.Result(http);
    }

    private readonly record struct Door(IResult? Refusal, string Client, string? Coding, IDisposable? Lease);

    /// <summary>
    /// What both endpoints check before reading the body, in this order: the key (401), the endpoint's own refusal
    /// of the request if any (415), the content coding (415), the declared size (413), the client's budget (429),
    /// and a place among the requests in flight (503).
    /// </summary>
    private static async Task<Door> EnterAsync(
        HttpContext http, ApiKeyCheck keys, IngestAdmission admission, IngestMetrics metrics, IngestOptions options, string source, IResult? requestRefusal = null)
    {
        if (!keys.IsAllowed(http.Request.Headers["X-Api-Key"], out var keyClient))
        {
            return new Door(Error(StatusCodes.Status401Unauthorized, "a valid X-Api-Key header is required"), "", null, null);
        }

        if (requestRefusal is not null)
        {
            return new Door(requestRefusal, "", null, null);
        }

        var encoding = http.Request.Headers.ContentEncoding;
        if (encoding.Count > 1 || !IngestBody.TryParseEncoding(encoding.ToString(), out var coding))
        {
            metrics.Refused(source, "bad_encoding");
            return new Door(Error(StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported; send one of {IngestBody.Supported}"), "", null, null);
        }

        if (http.Request.ContentLength > options.MaxBodyBytes)
        {
            metrics.Refused(source, "too_large");
            return new Door(Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxBodyBytes} bytes"), "", null, null);
        }

        var client = IngestAdmission.ClientOf(keyClient, http.Connection.RemoteIpAddress);
        if (admission.RetryAfter(client) is { } wait)
        {
            metrics.Refused(source, "rate_limited");
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return new Door(Error(StatusCodes.Status429TooManyRequests, $"this client sent more than its {options.RateLimitReadingsPerSecond} readings a second (Ingest:RateLimitReadingsPerSecond); wait as Retry-After says"), client, null, null);
        }

        var lease = await admission.EnterAsync(http.RequestAborted);
        if (lease is null)
        {
            metrics.Refused(source, "busy");
            http.Response.Headers.RetryAfter = "1";
            return new Door(Error(StatusCodes.Status503ServiceUnavailable, $"the host is taking as many ingest requests as it can ({options.MaxConcurrentRequests} in flight, {options.MaxQueuedRequests} waiting); send again after Retry-After"), client, null, null);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null; // enforced as the body streams, with our own answer instead of a reset connection
        }

        return new Door(null, client, coding, lease);
    }

    /// <summary>The answer to a body that turned out bad while it was read; null for any other exception.</summary>
    private static (int Status, string Message)? BodyProblem(Exception e, string? coding) => e switch
    {
        BodyTooLargeException => (StatusCodes.Status413PayloadTooLarge, e.Message),
        InvalidDataException => (StatusCodes.Status400BadRequest, $"the {coding} body is damaged or cut short: {e.Message}"),
        _ => null,
    };

    /// <summary>The counts of every piece of a request added up, and the failed sensors of any of them.</summary>
    private sealed class Answer(int maxRejections)
    {
        private readonly List<RejectionView> _rejections = [];
        private readonly SortedSet<string> _failedSensors = new(StringComparer.Ordinal);
        private int _accepted, _rejected, _rejectedValues, _duplicates, _archivedOnly;

        public async Task IngestAsync(ReadingIngestor ingestor, DecodeResult decoded, string source, CancellationToken cancellationToken)
        {
            IngestSummary summary;
            try
            {
                summary = await ingestor.IngestAsync(decoded, source, cancellationToken);
            }
            catch (IngestIncompleteException e)
            {
                // Archived, and the other sensors applied: count the piece as accepted, and ask for the request again.
                _failedSensors.UnionWith(e.FailedSensors);
                _accepted += decoded.Readings.Count;
                return;
            }

            _accepted += summary.Accepted;
            _rejected += summary.Rejected;
            _rejectedValues += summary.RejectedValues;
            _duplicates += summary.Duplicates;
            _archivedOnly += summary.ArchivedOnly;
            _rejections.AddRange(summary.Rejections.Take(maxRejections - _rejections.Count));
        }

        /// <summary>
        /// 200 when anything was accepted, else 400; 503 with Retry-After when some sensors could not take their
        /// readings now (all are archived and the others applied: the same request again is safe); or the given
        /// error, with the counts of what was accepted before it.
        /// </summary>
        public IResult Result(HttpContext http, int? errorStatus = null, string? error = null)
        {
            if (error is null && _failedSensors.Count > 0)
            {
                http.Response.Headers.RetryAfter = "1";
                return Results.Json(
                    new { error = "some sensors could not take their readings now; they are archived, send the same request again", failedSensors = _failedSensors.ToArray() },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var counts = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (error is not null)
            {
                counts["error"] = error;
            }

            counts["accepted"] = _accepted;
            counts["rejected"] = _rejected;
            counts["rejectedValues"] = _rejectedValues;
            counts["duplicates"] = _duplicates;
            counts["archivedOnly"] = _archivedOnly;
            counts["rejections"] = _rejections;
            return Results.Json(counts, statusCode: errorStatus ?? (_accepted > 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest));
        }
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new { error = message }, statusCode: status);
}
