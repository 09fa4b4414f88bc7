using System.Globalization;
using System.Text;
using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Gateway.Auth;
using AirQuality.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Export;

/// <summary>Settings of the CSV export (configuration section "Export").</summary>
public sealed class ExportOptions
{
    public const string Section = "Export";

    /// <summary>Most sensors one export may cover; a larger set gets 400 before anything is written. Default 10,000.</summary>
    public int MaxSensors { get; set; } = 10_000;

    /// <summary>
    /// Sensors asked ahead of the one being written. Rows still come out in sensor id order; this only hides
    /// the grain call latency. Memory stays bounded by this many sensors' rows. Default 8.
    /// </summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// Longest period one export may cover. Default 400 days, what a sensor keeps and answers
    /// (Sensors:MaxHistoryRange in the silo); keep the two the same.
    /// </summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(400);

    public IEnumerable<string> Problems()
    {
        if (MaxRange <= TimeSpan.Zero)
        {
            yield return "Export:MaxRange must be positive";
        }

        if (MaxSensors < 1)
        {
            yield return "Export:MaxSensors must be at least 1";
        }

        if (Parallelism is < 1 or > 64)
        {
            yield return "Export:Parallelism must be 1-64";
        }
    }
}

/// <summary>
/// GET /api/v1/export.csv: hourly or daily aggregates of one quantity, for one sensor (sensor=ID) or a set
/// (bbox=minLon,minLat,maxLon,maxLat or country=CC, found through the spatial index), as RFC 4180 CSV
/// (CRLF, quoted where needed, header row), ISO-8601 UTC timestamps, invariant-culture numbers. Streamed:
/// each sensor's rows are written and flushed as they come, so an export of thousands of sensors holds only
/// a few sensors' rows in memory. The AQI columns are each sensor's CURRENT index under each standard
/// (repeated on every row), not the index of the row's period.
/// </summary>
public static partial class ExportEndpoints
{
    public const string Route = "/api/v1/export.csv";

    internal static readonly string[] Columns =
    [
        "sensor_id", "name", "latitude", "longitude", "country", "quantity", "period_start", "period_end",
        "mean", "min", "max", "count", "coverage", "us_epa_2024", "uk_daqi", "eu_eaqi_2024",
    ];

    /// <summary>Maps the export; reads its settings from the "Export" configuration section (checked here, at start-up).</summary>
    public static void MapExport(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<IConfiguration>().GetValidated<ExportOptions>(ExportOptions.Section, o => o.Problems());

        app.MapGet(Route, (HttpContext http, IGrainFactory grains, TimeProvider time, ILoggerFactory logs) =>
            ExportAsync(http, grains, options, time, logs.CreateLogger(typeof(ExportEndpoints))))
            .RequireReadAccess();
    }

    private static async Task ExportAsync(HttpContext http, IGrainFactory grains, ExportOptions options, TimeProvider time, ILogger logger)
    {
        var cancellationToken = http.RequestAborted;
        ExportRequest request;
        IAsyncEnumerable<string> sensors;
        try
        {
            request = ExportRequest.Parse(http.Request.Query, time.GetUtcNow(), options.MaxRange);
            sensors = await SensorsAsync(request, grains, options.MaxSensors, cancellationToken);
        }
        catch (Exception e) when (e is ExportException or SensorQueryException)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = e.Message }, cancellationToken);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/csv; charset=utf-8; header=present";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{request.FileName}\"";
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await using (writer)
        {
            writer.NewLine = "\r\n";
            await WriteRowAsync(writer, Columns);
            await writer.FlushAsync(cancellationToken);
            try
            {
                // A few sensors are asked ahead (bounded), and written strictly in order as each completes.
                var ahead = new Queue<Task<SensorRows>>();
                await foreach (var id in sensors.WithCancellation(cancellationToken))
                {
                    ahead.Enqueue(RowsOfAsync(grains, id, request));
                    if (ahead.Count >= options.Parallelism)
                    {
                        await WriteSensorAsync(writer, await ahead.Dequeue(), request, cancellationToken);
                    }
                }

                while (ahead.Count > 0)
                {
                    await WriteSensorAsync(writer, await ahead.Dequeue(), request, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The status is sent: the only honest signal left is to break the connection, so a client never
                // takes a cut-off file for a whole one.
                LogExportFailed(logger, e, request.FileName);
                http.Abort();
            }
        }
    }

    /// <summary>The sensors of the request in id order, or an <see cref="ExportException"/> when there are too many.</summary>
    private static async Task<IAsyncEnumerable<string>> SensorsAsync(ExportRequest request, IGrainFactory grains, int maxSensors, CancellationToken cancellationToken)
    {
        if (request.SensorId is { } id)
        {
            return One(id);
        }

        var directory = new SensorDirectory(grains);
        var query = new SensorQuery { Bbox = request.Bbox, Country = request.Country, First = SensorQuery.MaxFirst };
        var firstPage = await directory.FindAsync(query, cancellationToken);
        if (firstPage.TotalCount > maxSensors)
        {
            throw new ExportException($"The export covers {firstPage.TotalCount} sensors, more than the {maxSensors} allowed: narrow the bbox or split it.");
        }

        return Pages(directory, query, firstPage, cancellationToken);

        static async IAsyncEnumerable<string> One(string id)
        {
            await Task.CompletedTask;
            yield return id;
        }

        // One index page (500 summaries) at a time: the set is never held whole.
        static async IAsyncEnumerable<string> Pages(SensorDirectory directory, SensorQuery query, SensorPage page, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            while (true)
            {
                foreach (var summary in page.Items)
                {
                    yield return summary.Id;
                }

                if (!page.HasNextPage)
                {
                    yield break;
                }

                page = await directory.FindAsync(query with { After = page.EndCursor }, cancellationToken);
            }
        }
    }

    private static async Task<SensorRows> RowsOfAsync(IGrainFactory grains, string id, ExportRequest request)
    {
        var sensor = grains.GetGrain<ISensorGrain>(id);
        var view = sensor.GetView();
        var history = sensor.GetHistory(request.Quantity, request.From, request.To, request.Interval);
        return new SensorRows(await view, await history);
    }

    private static async Task WriteSensorAsync(StreamWriter writer, SensorRows rows, ExportRequest request, CancellationToken cancellationToken)
    {
        var view = rows.View;
        var c = CultureInfo.InvariantCulture;
        string Index(string standard) => view.Aqi.FirstOrDefault(a => a.Standard == standard)?.Index?.ToString(c) ?? "";
        var us = Index("us-epa-2024");
        var uk = Index("uk-daqi");
        var eu = Index("eu-eaqi-2024");
        var fields = new string[Columns.Length];
        foreach (var a in rows.History)
        {
            fields[0] = view.Id;
            fields[1] = view.Name ?? "";
            fields[2] = view.Location?.Latitude.ToString("R", c) ?? "";
            fields[3] = view.Location?.Longitude.ToString("R", c) ?? "";
            fields[4] = view.Location?.Country ?? "";
            fields[5] = request.Quantity;
            fields[6] = Timestamp(a.PeriodStart);
            fields[7] = Timestamp(a.PeriodEnd);
            fields[8] = a.Mean?.ToString("R", c) ?? "";
            fields[9] = a.Min?.ToString("R", c) ?? "";
            fields[10] = a.Max?.ToString("R", c) ?? "";
            fields[11] = a.Count.ToString(c);
            fields[12] = a.Coverage.ToString("R", c);
            fields[13] = us;
            fields[14] = uk;
            fields[15] = eu;
            await WriteRowAsync(writer, fields);
        }

        await writer.FlushAsync(cancellationToken);
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task WriteRowAsync(StreamWriter writer, string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(Csv.Field(fields[i]));
        }

        await writer.WriteLineAsync();
    }

    private sealed record SensorRows(SensorView View, IReadOnlyList<AggregateView> History);

    [LoggerMessage(Level = LogLevel.Error, Message = "CSV export {FileName} failed after it started; the connection was aborted")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, string fileName);
}

/// <summary>RFC 4180 fields: quoted when they hold a comma, a quote, CR or LF; quotes inside doubled.</summary>
internal static class Csv
{
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

/// <summary>A parameter the caller must fix (400).</summary>
internal sealed class ExportException(string message) : Exception(message);

/// <summary>The checked parameters of an export request.</summary>
internal sealed record ExportRequest(
    string? SensorId,
    GeoBox? Bbox,
    string? Country,
    string Quantity,
    DateTimeOffset From,
    DateTimeOffset To,
    HistoryInterval Interval)
{
    public string FileName
    {
        get
        {
            var what = SensorId ?? (Country is { } c ? $"country-{c}" : "bbox");
            var step = Interval == HistoryInterval.Hour ? "hour" : "day";
            // Sensor ids hold letters, digits and - _ . : @ only; ':' is swapped for filesystems that refuse it.
            return $"airquality-{what.Replace(':', '_')}-{Quantity}-{step}.csv";
        }
    }

    public static ExportRequest Parse(IQueryCollection q, DateTimeOffset now, TimeSpan maxRange)
    {
        var sensor = q["sensor"].FirstOrDefault();
        var bboxText = q["bbox"].FirstOrDefault();
        var country = q["country"].FirstOrDefault();
        if (new[] { sensor, bboxText, country }.Count(v => v is not null) != 1)
        {
            throw new ExportException("Give exactly one of sensor=ID, bbox=minLon,minLat,maxLon,maxLat or country=CC.");
        }

        if (sensor is not null && Domain.Readings.SensorId.Problem(sensor) is { } problem)
        {
            throw new ExportException($"Invalid sensor: {problem}.");
        }

        GeoBox? bbox = null;
        if (bboxText is not null)
        {
            var parts = bboxText.Split(',');
            var n = new double[4];
            if (parts.Length != 4 || parts.Where((p, i) => !double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out n[i])).Any())
            {
                throw new ExportException("bbox must be 4 comma-separated numbers: minLon,minLat,maxLon,maxLat.");
            }

            bbox = new GeoBox(n[0], n[1], n[2], n[3]);
        }

        if (country is not null)
        {
            country = CountryCode.Normalize(country) ?? throw new ExportException($"Invalid country: {CountryCode.Problem(country)}.");
        }

        if (q["quantity"].FirstOrDefault() is not { } quantityText || !Domain.Quantities.Quantity.TryParse(quantityText, out var quantity) || !quantity.IsKnown)
        {
            throw new ExportException($"quantity is required and must be one of {string.Join(", ", Domain.Quantities.Quantity.Known.Select(k => k.Name))}.");
        }

        var interval = q["interval"].FirstOrDefault()?.ToLowerInvariant() switch
        {
            null or "hour" => HistoryInterval.Hour,
            "day" => HistoryInterval.Day,
            _ => throw new ExportException("interval must be hour or day."),
        };

        var to = Time(q, "to") ?? now;
        var from = Time(q, "from") ?? to - (interval == HistoryInterval.Hour ? TimeSpan.FromHours(48) : TimeSpan.FromDays(30));
        if (to <= from)
        {
            throw new ExportException("from must be before to.");
        }

        if (to - from > maxRange)
        {
            throw new ExportException($"The range from {from:O} to {to:O} is longer than the {maxRange.TotalDays:0} days an export may cover.");
        }

        return new ExportRequest(sensor, bbox, country, quantity.Name, from, to, interval);
    }

    private static DateTimeOffset? Time(IQueryCollection q, string name) =>
        q[name].FirstOrDefault() is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at
        : throw new ExportException($"{name} must be an ISO-8601 time such as 2026-11-23T00:00:00Z.");
}
