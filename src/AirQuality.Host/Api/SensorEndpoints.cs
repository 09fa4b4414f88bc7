using AirQuality.Contracts;
using AirQuality.Domain.Readings;

namespace AirQuality.Host.Api;

/// <summary>
/// Plain JSON reads of one sensor (the GraphQL gateway comes later): its view, and its history.
/// </summary>
public static class SensorEndpoints
{
    public static void MapSensors(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/sensors/{id}", async (string id, IGrainFactory grains) =>
            SensorId.Problem(id) is { } problem
                ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(await grains.GetGrain<ISensorGrain>(id).GetView()));

        app.MapGet("/api/v1/sensors/{id}/alerts", async (string id, IGrainFactory grains) =>
            SensorId.Problem(id) is { } problem
                ? Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(await grains.GetGrain<ISensorGrain>(id).GetOpenAlerts()));

        app.MapGet("/api/v1/sensors/{id}/history", async (string id, string? quantity, DateTimeOffset? from, DateTimeOffset? to, string? interval, IGrainFactory grains, TimeProvider time) =>
        {
            if (SensorId.Problem(id) is { } problem)
            {
                return Results.Json(new { error = problem }, statusCode: StatusCodes.Status400BadRequest);
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

            var end = to ?? time.GetUtcNow();
            var start = from ?? end.AddHours(-48);
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
}
