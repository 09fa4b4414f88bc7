using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;

namespace AirQuality.Cli.Ingest;

/// <summary>
/// Posts readings to a host's <c>POST /api/v1/readings</c> (docs/http-ingest.md) as canonical NDJSON in
/// batches, and reads its answer.
/// </summary>
/// <remarks>
/// <para>2xx and 400 are answers: their counts go to <see cref="IngestProgress"/> and every rejection the host
/// lists is reported with the reading it was about; a 400 is not retried (the same body would be refused again).
/// 413 halves the batch size, for this batch and the rest of the run. 5xx, 408, 429, timeouts and network errors
/// are retried with exponential backoff (Retry-After honoured) up to <see cref="IngestEnvironment.MaxAttempts"/>;
/// then a non-fatal <see cref="IngestException"/>. 401/403 and any other status end the command (fatal).</para>
/// <para>Resending is safe: the contract makes accepted readings idempotent.</para>
/// </remarks>
internal sealed class IngestClient
{
    /// <summary>Largest answer body read; the contract's answer is a few kB (at most 100 rejections).</summary>
    private const int MaxAnswerBytes = 1 << 20;

    private static readonly MediaTypeHeaderValue Ndjson = new("application/x-ndjson");

    private readonly HttpClient _http;
    private readonly IngestTarget _target;
    private readonly IngestEnvironment _environment;
    private readonly IngestProgress _progress;
    private bool _warnedAboutAnswer;

    public IngestClient(HttpClient http, IngestTarget target, IngestEnvironment environment, IngestProgress progress)
    {
        _http = http;
        _target = target;
        _environment = environment;
        _progress = progress;
        BatchSize = target.BatchSize;
    }

    /// <summary>Readings per request now: --batch-size, halved by each 413.</summary>
    public int BatchSize { get; private set; }

    /// <summary>
    /// Posts <paramref name="readings"/> in batches of <see cref="BatchSize"/>, in order; after each batch the
    /// host has answered for, calls <paramref name="answered"/> with it.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<Reading> readings, Action<IReadOnlyList<Reading>>? answered, CancellationToken cancellation)
    {
        var all = readings as Reading[] ?? [.. readings];
        var position = 0;
        while (position < all.Length)
        {
            var batch = new ArraySegment<Reading>(all, position, Math.Min(BatchSize, all.Length - position));
            await PostAsync(batch, cancellation).ConfigureAwait(false);
            answered?.Invoke(batch);
            position += batch.Count;
            _progress.Tick();
        }
    }

    /// <summary>GETs a source file (open-data JSON), with the same retries; at most <paramref name="maxBytes"/>.</summary>
    public async Task<byte[]> GetAsync(Uri url, long maxBytes, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return await ReadBodyAsync(response, maxBytes, $"{url}", cancellation).ConfigureAwait(false);
                }

                if (!IsTransient(response.StatusCode))
                {
                    throw new IngestException($"GET {url} answered {Status(response)}", fatal: false);
                }

                failure = $"GET {url} answered {Status(response)}";
                retryAfter = RetryAfter(response);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // IOException: the connection broke while the body was being read.
                failure = $"GET {url}: {e.Message}";
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                failure = $"GET {url}: no answer within {Durations.Format(_environment.RequestTimeout)}";
            }

            await BackOffAsync(attempt, failure, retryAfter, cancellation).ConfigureAwait(false);
        }
    }

    private async Task PostAsync(ArraySegment<Reading> batch, CancellationToken cancellation)
    {
        var body = Serialize(batch);
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _target.ReadingsUri) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Ndjson;
                if (_target.ApiKey is { } key)
                {
                    request.Headers.Add("X-Api-Key", key);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode || status == HttpStatusCode.BadRequest)
                {
                    var answer = await ReadBodyAsync(response, MaxAnswerBytes, "the host's answer", cancellation).ConfigureAwait(false);
                    Count(batch, status, answer);
                    return;
                }

                if (status == HttpStatusCode.RequestEntityTooLarge)
                {
                    await SplitAsync(batch, body.Length, cancellation).ConfigureAwait(false);
                    return;
                }

                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new IngestException(
                        $"{_target.ReadingsUri} answered {Status(response)}: "
                        + (_target.ApiKey is null ? "the host requires an ingest key; pass --api-key" : "the host did not accept the --api-key given"),
                        fatal: true);
                }

                if (!IsTransient(status))
                {
                    throw new IngestException($"{_target.ReadingsUri} answered {Status(response)}; is --target an AirQuality host?", fatal: true);
                }

                failure = $"POST {_target.ReadingsUri} answered {Status(response)}";
                retryAfter = RetryAfter(response);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                failure = $"POST {_target.ReadingsUri}: {e.Message}";
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                failure = $"POST {_target.ReadingsUri}: no answer within {Durations.Format(_environment.RequestTimeout)}";
            }

            await BackOffAsync(attempt, failure, retryAfter, cancellation).ConfigureAwait(false);
        }
    }

    private async Task SplitAsync(ArraySegment<Reading> batch, int bodyBytes, CancellationToken cancellation)
    {
        if (batch.Count == 1)
        {
            // Nothing left to halve: this one reading is larger than the host takes.
            _progress.Answered(1, 0, 1, 0);
            _progress.Rejection($"host rejected {Describe(batch[0])}: 413, a single reading of {bodyBytes} bytes is larger than the host accepts");
            return;
        }

        BatchSize = Math.Min(BatchSize, batch.Count / 2);
        _progress.Split($"host answered 413 to {batch.Count} readings ({bodyBytes} bytes); batch size now {BatchSize}");
        // Chunks of the current size, which a further 413 inside may shrink again.
        var position = 0;
        while (position < batch.Count)
        {
            var size = Math.Min(BatchSize, batch.Count - position);
            await PostAsync(batch.Slice(position, size), cancellation).ConfigureAwait(false);
            position += size;
        }
    }

    private async Task BackOffAsync(int attempt, string failure, TimeSpan? retryAfter, CancellationToken cancellation)
    {
        _progress.HttpError(attempt < _environment.MaxAttempts
            ? $"{failure} (attempt {attempt} of {_environment.MaxAttempts}, retrying)"
            : $"{failure} (attempt {attempt} of {_environment.MaxAttempts})");
        if (attempt >= _environment.MaxAttempts)
        {
            throw new IngestException($"gave up after {attempt} attempts: {failure}", fatal: false);
        }

        var backoff = _environment.FirstRetryDelay * Math.Pow(2, attempt - 1);
        // Jitter spreads the retries of many clients after one outage.
        backoff *= 0.75 + (Random.Shared.NextDouble() / 2);
        var delay = retryAfter is { } after && after > backoff ? after : backoff;
        if (delay > _environment.MaxRetryDelay)
        {
            delay = _environment.MaxRetryDelay;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _environment.Time, cancellation).ConfigureAwait(false);
        }
    }

    private void Count(ArraySegment<Reading> batch, HttpStatusCode status, byte[] answer)
    {
        if (!TryReadAnswer(answer, out var accepted, out var rejected, out var rejectedValues, out var rejections))
        {
            if (status == HttpStatusCode.BadRequest)
            {
                _progress.Answered(batch.Count, 0, batch.Count, 0);
                _progress.Rejection($"host rejected {batch.Count} readings: 400 Bad Request '{Excerpt(answer)}'");
                return;
            }

            if (!_warnedAboutAnswer)
            {
                _warnedAboutAnswer = true;
                _progress.Note($"the host's {(int)status} answer has no counts ('{Excerpt(answer)}'); counting its readings as accepted");
            }

            _progress.Answered(batch.Count, batch.Count, 0, 0);
            return;
        }

        _progress.Answered(batch.Count, accepted, rejected, rejectedValues);
        foreach (var (record, quantity, reason) in rejections)
        {
            var about = record >= 1 && record <= batch.Count ? Describe(batch[record - 1]) : $"record {record}";
            _progress.Rejection($"host rejected {about}{(quantity is null ? "" : $" value '{quantity}'")}: {reason}");
        }
    }

    /// <summary>Reads {"accepted","rejected","rejectedValues","rejections":[{"record","quantity","reason"}]}.</summary>
    private static bool TryReadAnswer(byte[] answer, out long accepted, out long rejected, out long rejectedValues,
        out List<(int Record, string? Quantity, string Reason)> rejections)
    {
        accepted = rejected = rejectedValues = 0;
        rejections = [];
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("accepted", out var a) || !a.TryGetInt64(out accepted))
            {
                return false;
            }

            rejected = root.TryGetProperty("rejected", out var r) && r.TryGetInt64(out var rv) ? rv : 0;
            rejectedValues = root.TryGetProperty("rejectedValues", out var v) && v.TryGetInt64(out var vv) ? vv : 0;
            if (root.TryGetProperty("rejections", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    var record = item.TryGetProperty("record", out var n) && n.TryGetInt32(out var nv) ? nv : 0;
                    var quantity = item.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
                    var reason = item.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString()! : "(no reason given)";
                    rejections.Add((record, quantity, reason));
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, long maxBytes, string what, CancellationToken cancellation)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw new IngestException($"{what} is {length} bytes, more than the {maxBytes >> 20} MiB read", fatal: false);
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new IngestException($"{what} is larger than the {maxBytes >> 20} MiB read", fatal: false);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static byte[] Serialize(ArraySegment<Reading> batch)
    {
        var output = new ArrayBufferWriter<byte>(batch.Count * 200);
        using (var writer = new Utf8JsonWriter(output))
        {
            foreach (var reading in batch)
            {
                CanonicalJsonWriter.Write(writer, reading);
                writer.Flush();
                writer.Reset();
                output.Write("\n"u8);
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _environment.Time.GetUtcNow(),
        _ => null,
    };

    private static string Status(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}";

    private static string Describe(Reading reading) =>
        $"sensor '{reading.SensorId}' at {reading.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";

    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
