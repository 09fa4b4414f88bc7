using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using AirQuality.Domain.Decoding;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AirQuality.Cli.Tests.Ingest;

/// <summary>
/// STAND-IN for the AirQuality host until the host's POST /api/v1/readings endpoint lands in this branch;
/// then these tests will target the real host. It implements docs/http-ingest.md (NDJSON and JSON bodies,
/// X-Api-Key, the {"accepted","rejected","rejectedValues","rejections"} answer, 200/400/401/413/415) with
/// <see cref="CanonicalJsonDecoder"/>, records every request it received, and can be told to misbehave
/// (503s, a small body limit, rejecting some sensors). It also serves GET /data.json, whose content may
/// change from one fetch to the next, as the Sensor.Community open-data source. 127.0.0.1, a free port.
/// </summary>
internal sealed class StandInHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CanonicalJsonDecoder _decoder;
    private int _requests;
    private int _fetches;

    private StandInHost(WebApplication app, TimeProvider time)
    {
        _app = app;
        _decoder = new CanonicalJsonDecoder(new ReadingValidator(time: time));
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>When set, requests without this X-Api-Key get 401.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>The first this many POSTs get 503 (an overloaded or restarting host).</summary>
    public int FailFirst { get; set; }

    /// <summary>Bodies longer than this get 413.</summary>
    public long MaxBodyBytes { get; set; } = 16 << 20;

    /// <summary>A reason to reject a reading whole (as the host would for a timestamp it does not take), or null.</summary>
    public Func<Reading, string?>? Reject { get; set; }

    /// <summary>GET /data.json content by fetch number (1, 2, ...).</summary>
    public Func<int, string>? DataJson { get; set; }

    /// <summary>Every POST, in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Readings accepted (status 200), in arrival order.</summary>
    public IReadOnlyList<Reading> Accepted => [.. Requests.Where(r => r.Status == 200).SelectMany(r => r.Accepted)];

    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Starts a host; set its behaviour before the command under test runs.</summary>
    public static async Task<StandInHost> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var host = new StandInHost(app, time);
        app.MapPost("/api/v1/readings", host.IngestAsync);
        app.MapGet("/data.json", host.ServeDataJson);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        host.BaseUri = new Uri(address);
        return host;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult ServeDataJson()
    {
        var fetch = Interlocked.Increment(ref _fetches);
        return DataJson is null ? Results.NotFound() : Results.Text(DataJson(fetch), "application/json", Encoding.UTF8);
    }

    private async Task IngestAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var apiKey = context.Request.Headers["X-Api-Key"].FirstOrDefault();
        var contentType = context.Request.ContentType ?? "";

        int status;
        DecodeResult? result = null;
        List<Rejection> rejections = [];
        if (number <= FailFirst)
        {
            status = 503;
        }
        else if (RequiredApiKey is not null && apiKey != RequiredApiKey)
        {
            status = 401;
        }
        else if (body.Length > MaxBodyBytes)
        {
            status = 413;
        }
        else if (!contentType.StartsWith("application/x-ndjson", StringComparison.Ordinal) && !contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            status = 415;
        }
        else
        {
            result = _decoder.Decode(body, contentType.StartsWith("application/x-ndjson", StringComparison.Ordinal) ? CanonicalLayout.Ndjson : CanonicalLayout.Json);
            rejections.AddRange(result.Rejections);
            for (var i = result.Readings.Count - 1; i >= 0; i--)
            {
                if (Reject?.Invoke(result.Readings[i]) is { } reason)
                {
                    rejections.Add(new Rejection(IndexOf(body, result.Readings[i]), null, result.Readings[i].SensorId, null, reason));
                    result.Readings.RemoveAt(i);
                }
            }

            status = result.Readings.Count > 0 ? 200 : 400;
        }

        Requests.Enqueue(new Received(status, apiKey, contentType, body.Length, CountLines(body), status == 200 ? [.. result!.Readings] : []));
        context.Response.StatusCode = status;
        if (status is 200 or 400)
        {
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.Body);
            writer.WriteStartObject();
            writer.WriteNumber("accepted", result!.Readings.Count);
            writer.WriteNumber("rejected", rejections.Count(r => r.Quantity is null));
            writer.WriteNumber("rejectedValues", rejections.Count(r => r.Quantity is not null));
            writer.WriteStartArray("rejections");
            foreach (var r in rejections.OrderBy(r => r.Record).Take(100))
            {
                writer.WriteStartObject();
                writer.WriteNumber("record", r.Record);
                writer.WriteNumber("line", r.Line ?? r.Record);
                writer.WriteString("sensorId", r.SensorId);
                writer.WriteString("quantity", r.Quantity);
                writer.WriteString("reason", r.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    /// <summary>The 1-based line of the reading's record in an NDJSON body (readings here have distinct sensor and time).</summary>
    private static int IndexOf(byte[] body, Reading reading)
    {
        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var stamp = reading.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var index = Array.FindIndex(lines, l => l.Contains($"\"sensorId\":\"{reading.SensorId}\"", StringComparison.Ordinal) && l.Contains(stamp, StringComparison.Ordinal));
        return index + 1;
    }

    private static int CountLines(byte[] body) => body.Count(b => b == (byte)'\n');

    internal sealed record Received(int Status, string? ApiKey, string ContentType, int BodyBytes, int Lines, IReadOnlyList<Reading> Accepted);
}
