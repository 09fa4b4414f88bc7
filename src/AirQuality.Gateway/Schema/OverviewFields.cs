using AirQuality.Contracts.Index;
using AirQuality.Domain.Spatial;
using AirQuality.Gateway.Schema.Types;
using GraphQL;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema;

/// <summary>
/// Query.sensorGrid: the zoomed-out map. Sensors counted per geohash cell with their worst index, for any
/// box up to the whole world, from the overview regions the index keeps (<see cref="SensorOverview"/>), so
/// it costs at most 32 grain calls at precision 1 or 2 and at most 128 at tile precision (3).
/// </summary>
public static class OverviewFields
{
    /// <summary>The cells the complexity analyser assumes a grid returns (the whole world at precision 2).</summary>
    private const double TypicalCells = 1024;

    public static void AddTo(ObjectGraphType query, GatewayContext gateway)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<GridCellType>>>>("sensorGrid")
            .Description(
                "Sensors per geohash cell in a box (up to the whole world), for maps zoomed out too far for `sensors`. "
                + "Counts lag the sensors by a few seconds. Only non-empty cells are listed, by key.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<FloatGraphType>>>>("bbox", a => a.Description = "[minLon, minLat, maxLon, maxLat]; minLon > maxLon crosses the antimeridian")
            .Argument<NonNullGraphType<AqiStandardGraphType>>("standard", a => a.Description = "The standard of aqiMax, aqiMean, category and color")
            .Argument<IntGraphType>("precision", a => a.Description = "Geohash characters per cell, 1 to 3 (about 5,000, 1,250 and 156 km). Default: the finest with at most 1,024 cells in the box.")
            .WithComplexityImpact(fieldImpact: 100, childImpactMultiplier: TypicalCells)
            .ResolveAsync(async c => await GridAsync(c, gateway));
    }

    private static async Task<IReadOnlyList<GridCell>> GridAsync(IResolveFieldContext c, GatewayContext gateway)
    {
        var bbox = c.GetArgument<List<double>>("bbox");
        if (bbox.Count != 4)
        {
            throw GatewayErrors.BadRequest("bbox must be four numbers: [minLon, minLat, maxLon, maxLat]");
        }

        if (BoundingBox.Problem(bbox[0], bbox[1], bbox[2], bbox[3]) is { } problem)
        {
            throw GatewayErrors.BadRequest(problem);
        }

        var standard = c.GetArgument<IndexStandard>("standard");
        var overview = new SensorOverview(gateway.Grains);
        try
        {
            var answer = await overview.CellsAsync(BoundingBox.Create(bbox[0], bbox[1], bbox[2], bbox[3]), c.GetArgument<int?>("precision"), c.CancellationToken);
            return answer.Cells.Select(cell => new GridCell(cell, answer.Precision, standard)).ToArray();
        }
        catch (SensorQueryException e)
        {
            // Its messages are written for callers: they say what to fix.
            throw GatewayErrors.BadRequest(e.Message);
        }
    }
}
