using System.Globalization;
using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Readings;
using AirQuality.Gateway.Auth;

namespace AirQuality.Ingest.Api;

/// <summary>
/// Plain JSON reads: sensors in an area, one sensor's view, its open alerts and its history. Reads, under the
/// gateway's access policy (Gateway:Auth:Reading). Every parameter is bound as text and parsed here, so a bad
/// one is a 400 with {"error"} naming it, never the empty 400 of a minimal-API binding failure.
/// </summary>
public static class SensorEndpoints
{
    public static void MapSensors(this IEndpointRouteBuilder endpoints)
    {
        var app = endpoints.MapGroup("").RequireReadAccess();

        // GET /api/v1/sensors?bbox=minLon,minLat,maxLon,maxLat | near=lat,lon,radiusKm | country=DE
        //   [&standard=us-epa-2024&minIndex=&maxIndex=][&status=Online|Stale|NeverSeen][&first=50][&after=cursor]
        app.MapGet("/api/v1/sensors", async (HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            try
            {
                var page = await new SensorDirectory(grains).FindAsync(ParseQuery(request.Query), cancellationToken);
                return Results.Json(page);
            }
            catch (SensorQueryException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
        });

        app.MapGet("/api/v1/sensors/{id}", async (string id, IGrainFactory grains) =>
            SensorId.Problem(id) is { } problem
                ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(await grains.GetGrain<ISensorGrain>(id).GetView()));

        app.MapGet("/api/v1/sensors/{id}/alerts", async (string id, IGrainFactory grains) =>
            SensorId.Problem(id) is { } problem
                ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(await grains.GetGrain<ISensorGrain>(id).GetOpenAlerts()));

        app.MapGet("/api/v1/sensors/{id}/history", async (string id, string? quantity, string? from, string? to, string? interval, IGrainFactory grains, TimeProvider time) =>
        {
            if (SensorId.Problem(id) is { } problem)
            {
                return Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest);
            }

            var fromProblem = TimeProblem("from", from, out var fromTime);
            var toProblem = TimeProblem("to", to, out var toTime);
            if ((fromProblem ?? toProblem) is { } timeProblem)
            {
                return Results.Json(new { error = timeProblem }, statusCode: StatusCodes.Status400BadRequest);
            }

            var step = interval?.ToLowerInvariant() switch
            {
                null or "hour" => HistoryInterval.Hour,
                "day" => HistoryInterval.Day,
                _ => (HistoryInterval?)null,
            };
            if (quantity is null || step is null)
            {
                return Results.Json(new { error = "quantity is required and interval must be hour or day" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var end = toTime ?? time.GetUtcNow();
            var start = fromTime ?? end.AddHours(-48);
            try
            {
                return Results.Json(await grains.GetGrain<ISensorGrain>(id).GetHistory(quantity, start, end, step.Value));
            }
            catch (ArgumentException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }

    /// <summary>Null when <paramref name="text"/> is absent or an ISO-8601 time; otherwise the error naming the parameter.</summary>
    private static string? TimeProblem(string name, string? text, out DateTimeOffset? at)
    {
        at = null;
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            at = parsed;
            return null;
        }

        return $"{name} must be an ISO-8601 time such as 2026-11-23T00:00:00Z";
    }

    private static SensorQuery ParseQuery(IQueryCollection q)
    {
        double[]? Numbers(string name, int count)
        {
            if (q[name].FirstOrDefault() is not { } text)
            {
                return null;
            }

            var parts = text.Split(',');
            var numbers = new double[parts.Length];
            if (parts.Length != count || parts.Where((p, i) => !double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])).Any())
            {
                throw new SensorQueryException($"{name} must be {count} comma-separated numbers");
            }

            return numbers;
        }

        int? Int(string name) => q[name].FirstOrDefault() is not { } text ? null
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new SensorQueryException($"{name} must be a whole number");

        var bbox = Numbers("bbox", 4);
        var near = Numbers("near", 3);
        IndexStandard? standard = q["standard"].FirstOrDefault() switch
        {
            null => null,
            "us-epa-2024" => IndexStandard.UsEpa2024,
            "uk-daqi" => IndexStandard.UkDaqi,
            "eu-eaqi-2024" => IndexStandard.EuEaqi2024,
            var other => throw new SensorQueryException($"unknown standard '{other}' (use us-epa-2024, uk-daqi, eu-eaqi-2024)"),
        };
        SensorStatusView? status = q["status"].FirstOrDefault() is not { } s ? null
            : Enum.TryParse<SensorStatusView>(s, ignoreCase: true, out var parsed) ? parsed
            : throw new SensorQueryException("status must be Online, Stale or NeverSeen");
        return new SensorQuery
        {
            Bbox = bbox is null ? null : new GeoBox(bbox[0], bbox[1], bbox[2], bbox[3]),
            Near = near is null ? null : new GeoCircle(near[0], near[1], near[2]),
            Country = q["country"].FirstOrDefault(),
            Standard = standard,
            MinIndex = Int("minIndex"),
            MaxIndex = Int("maxIndex"),
            Status = status,
            First = Int("first") ?? SensorQuery.DefaultFirst,
            After = q["after"].FirstOrDefault(),
        };
    }
}
