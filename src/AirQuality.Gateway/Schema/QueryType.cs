using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Readings;
using AirQuality.Gateway.Schema.Types;
using GraphQL;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema;

public sealed class QueryType : ObjectGraphType
{
    public QueryType(GatewayContext gateway)
    {
        Name = "Query";

        // Each lookup by id calls (and may activate) a grain: costed so aliases cannot ask thousands at once.
        Field<SensorType>("sensor")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .WithComplexityImpact(gateway.Options.GrainCallComplexity)
            .ResolveAsync(async c =>
            {
                var id = CheckSensorId(c.GetArgument<string>("id"));
                var view = await gateway.Grains.GetGrain<ISensorGrain>(id).GetView();

                // Every id has a grain; one that has never sent a reading nor been registered is no sensor.
                return view.LastSeen is null && view.Location is null ? null : new SensorNode(gateway.Grains, view);
            });

        Field<NonNullGraphType<SensorConnectionType>>("sensors")
            .Description("Sensors in an area (bbox, near or country is required), ordered by id.")
            .Argument<ListGraphType<NonNullGraphType<FloatGraphType>>>("bbox", a => a.Description = "[minLon, minLat, maxLon, maxLat]")
            .Argument<NearInputType>("near")
            .Argument<StringGraphType>("country")
            .Argument<AqiStandardGraphType>("standard")
            .Argument<IntGraphType>("minIndex")
            .Argument<IntGraphType>("maxIndex")
            .Argument<SensorStatusGraphType>("status")
            .Argument<IntGraphType>("first", a => a.DefaultValue = gateway.Options.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await SensorsAsync(c, gateway));

        Field<NonNullGraphType<AlertConnectionType>>("alerts")
            .Argument<IdGraphType>("sensorId")
            .WithComplexityImpact(gateway.Options.GrainCallComplexity)
            .Argument<AlertStateGraphType>("state")
            .Argument<IntGraphType>("first", a => a.DefaultValue = gateway.Options.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await AlertsAsync(c, gateway));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AqiBandType>>>>("aqiScale")
            .Description("A standard's bands, lowest first, for legends.")
            .Argument<NonNullGraphType<AqiStandardGraphType>>("standard")
            .Resolve(c => AqiStandardGraphType.Scale(c.GetArgument<IndexStandard>("standard")).Categories);
        OverviewFields.AddTo(this, gateway);
    }

    internal static string CheckSensorId(string id) =>
        SensorId.Problem(id) is { } problem ? throw GatewayErrors.BadRequest(problem) : id;

    private static async Task<Connection<SensorNode>> SensorsAsync(IResolveFieldContext c, GatewayContext gateway)
    {
        var directory = gateway.Directory ?? throw GatewayErrors.NotAvailableYet("sensors");
        var bbox = c.GetArgument<List<double>?>("bbox");
        if (bbox is not null && bbox.Count != 4)
        {
            throw GatewayErrors.BadRequest("bbox must be four numbers: [minLon, minLat, maxLon, maxLat]");
        }

        var near = c.GetArgument<NearInput?>("near");
        var query = new SensorQuery
        {
            Bbox = bbox is null ? null : new GeoBox(bbox[0], bbox[1], bbox[2], bbox[3]),
            Near = near is null ? null : new GeoCircle(near.Latitude, near.Longitude, near.RadiusKm),
            Country = c.GetArgument<string?>("country"),
            Standard = c.GetArgument<IndexStandard?>("standard"),
            MinIndex = c.GetArgument<int?>("minIndex"),
            MaxIndex = c.GetArgument<int?>("maxIndex"),
            Status = c.GetArgument<SensorStatusView?>("status"),
            First = Paging.CheckFirst(c.GetArgument<int?>("first"), gateway.Options),
            After = c.GetArgument<string?>("after"),
        };

        SensorPage page;
        try
        {
            page = await directory.FindAsync(query, c.CancellationToken);
        }
        catch (SensorQueryException e)
        {
            // The directory's messages are written for callers (they say what to fix).
            throw GatewayErrors.BadRequest(e.Message);
        }

        var views = new SensorPageViews(gateway.Grains, page.Items);
        Func<SensorNode, string> cursorOf = node => directory.CursorOf(query, node.Id);
        var edges = new List<Edge<SensorNode>>(page.Items.Count);
        for (var i = 0; i < page.Items.Count; i++)
        {
            edges.Add(new Edge<SensorNode>(new SensorNode(views, i), cursorOf));
        }

        return new Connection<SensorNode>(edges, page.HasNextPage, page.EndCursor, page.TotalCount);
    }

    private static async Task<Connection<AlertView>> AlertsAsync(IResolveFieldContext c, GatewayContext gateway)
    {
        var first = Paging.CheckFirst(c.GetArgument<int?>("first"), gateway.Options);
        var state = c.GetArgument<AlertStateView?>("state");
        var sensorId = c.GetArgument<string?>("sensorId") is { } named ? CheckSensorId(named) : null;
        if (sensorId is null || state == AlertStateView.Cleared)
        {
            // Across sensors, and cleared alerts (a sensor keeps only its open ones): the cluster's alert index.
            var directory = gateway.AlertDirectory ?? throw GatewayErrors.NotAvailableYet("alerts across sensors");
            try
            {
                var found = await directory.ListAsync(sensorId, state, first, c.GetArgument<string?>("after"), c.CancellationToken);
                var edges = found.Items.Select(a => new Edge<AlertView>(directory.CursorOf(sensorId, state, a), a)).ToList();
                return new Connection<AlertView>(edges, found.HasNextPage, found.EndCursor, found.TotalCount);
            }
            catch (ArgumentException e)
            {
                throw GatewayErrors.BadRequest(e.Message);
            }
        }

        var open = await gateway.Grains.GetGrain<ISensorGrain>(sensorId).GetOpenAlerts();
        var matching = open.Where(a => state is null || a.State == state)
            .OrderBy(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();

        var start = 0;
        var after = c.GetArgument<string?>("after");
        if (after is not null)
        {
            var afterId = Paging.AlertOfCursor(after);
            start = matching.FindIndex(a => a.Id == afterId) + 1;
            if (start == 0)
            {
                throw GatewayErrors.BadRequest("the 'after' cursor names an alert that is no longer in this list; start again without 'after'");
            }
        }

        var page = matching.Skip(start).Take(first).Select(a => new Edge<AlertView>(Paging.CursorOfAlert(a.Id), a)).ToList();
        var hasNext = start + page.Count < matching.Count;
        return new Connection<AlertView>(page, hasNext, page.Count > 0 ? page[^1].Cursor : after, matching.Count);
    }
}
