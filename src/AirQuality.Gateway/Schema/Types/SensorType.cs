using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Readings;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

public sealed class SensorType : ObjectGraphType<SensorNode>
{
    /// <summary>The fields of an AqiReading that a sensor's index summary holds (its index under each standard).</summary>
    private static readonly HashSet<string> IndexedAqiFields = new(StringComparer.Ordinal) { "standard", "index", "category", "color", "__typename" };

    /// <summary>Cleared alerts listed on a sensor, at most (the index keeps them for Alerts:ClearedRetention).</summary>
    private const int MaxClearedListed = 100;

    public SensorType(GatewayContext gateway)
    {
        Name = "Sensor";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<LocationType>("location").Resolve(FromSummaryOrView(
            s => new LocationView(s.Latitude, s.Longitude, null, s.Country, s.Indoor),
            v => v.Location));
        Field<NonNullGraphType<SensorStatusGraphType>>("status").Resolve(FromSummaryOrView(s => s.Status, v => v.Status));
        Field<UtcDateTimeGraphType>("lastSeen").Resolve(FromSummaryOrView(s => s.LastSeen, v => v.LastSeen));
        Field<StringGraphType>("sensorType").Resolve(FromView((_, v) => v.SensorType));
        Field<StringGraphType>("name").Description("A name set by registerSensor.").Resolve(FromView((_, v) => v.Name));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasurementType>>>>("latest").Resolve(FromView((_, v) => v.Latest));
        Field<AqiReadingType>("aqi")
            .Description("""
                The sensor's AQI under a standard. In a list, an ONLINE sensor's standard, index, category and color come from the
                sensor index, which a reporting sensor refreshes at least once a minute (the value minIndex and maxIndex filter on);
                asking for more, or a sensor that is not ONLINE, reads the sensor itself.
                """)
            .Argument<NonNullGraphType<AqiStandardGraphType>>("standard")
            .Resolve(new FuncFieldResolver<SensorNode, object>(c =>
            {
                var standard = c.GetArgument<IndexStandard>("standard");
                return c.Source.Summary is { Status: SensorStatusView.Online } summary && AsksOnly(c, IndexedAqiFields)
                    ? new ValueTask<object?>(IndexedAqi(standard, summary.IndexUnder(standard)))
                    : Pick(c, AqiOfView);
            }));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AggregateType>>>>("history")
            .Argument<NonNullGraphType<StringGraphType>>("quantity")
            .Argument<NonNullGraphType<UtcDateTimeGraphType>>("from")
            .Argument<NonNullGraphType<UtcDateTimeGraphType>>("to")
            .Argument<IntervalGraphType>("interval", a => a.DefaultValue = HistoryInterval.Hour)
            .WithComplexityImpact(gateway.Options.GrainCallComplexity)
            .ResolveAsync(async c => await HistoryAsync(c));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertType>>>>("alerts")
            .Description("Open alerts (ACTIVE, ACKNOWLEDGED) by default; CLEARED: the recently cleared ones the alert index keeps, newest first, at most 100.")
            .Argument<AlertStateGraphType>("state")
            .WithComplexityImpact(gateway.Options.GrainCallComplexity)
            .ResolveAsync(async c =>
            {
                var state = c.GetArgument<AlertStateView?>("state");
                if (state == AlertStateView.Cleared)
                {
                    // The sensor keeps only its open alerts; cleared ones live in the cluster's alert index.
                    var directory = gateway.AlertDirectory ?? throw GatewayErrors.NotAvailableYet("alerts(state: CLEARED)");
                    return (await directory.ListAsync(c.Source.Id, state, MaxClearedListed, null, c.CancellationToken)).Items;
                }

                var open = await c.Source.Grain().GetOpenAlerts();
                return open.Where(a => state is null || a.State == state).ToList();
            });
    }

    /// <summary>
    /// A field read from the sensor's full view. When the view is already there (a sensor(id) or subscription
    /// node, or a page whose fan-out has answered) the field completes synchronously, which spares the
    /// executor an asynchronous step per field.
    /// </summary>
    private static FuncFieldResolver<SensorNode, object> FromView(Func<IResolveFieldContext<SensorNode>, SensorView, object?> pick) =>
        new(c => Pick(c, pick));

    /// <summary>A field the index's summary holds when the node came from a list, else read from the full view.</summary>
    private static FuncFieldResolver<SensorNode, object> FromSummaryOrView(Func<SensorSummary, object?> fromSummary, Func<SensorView, object?> fromView)
    {
        Func<IResolveFieldContext<SensorNode>, SensorView, object?> pick = (_, v) => fromView(v);
        return new(c => c.Source.Summary is { } s ? new ValueTask<object?>(fromSummary(s)) : Pick(c, pick));
    }

    private static object? AqiOfView(IResolveFieldContext<SensorNode> c, SensorView view)
    {
        var name = AqiStandardGraphType.ViewName(c.GetArgument<IndexStandard>("standard"));
        return view.Aqi.FirstOrDefault(a => a.Standard == name);
    }

    /// <summary>
    /// An AqiReading made from an index alone, as the sensor names it: the band the index falls in, or
    /// "Insufficient data" without one. Only its standard, index, category and color are served from it.
    /// </summary>
    private static AqiView IndexedAqi(IndexStandard standard, int? index)
    {
        var category = index is { } value ? AqiStandardGraphType.Scale(standard).CategoryOf(value) : null;
        return new AqiView(AqiStandardGraphType.ViewName(standard), index, category?.Name ?? "Insufficient data", category?.Color, null, null, default, false);
    }

    /// <summary>Whether the field's selection (fragments merged) asks for nothing outside <paramref name="allowed"/>.</summary>
    private static bool AsksOnly(IResolveFieldContext c, HashSet<string> allowed)
    {
        if (c.SubFields is not { } fields)
        {
            return false;
        }

        foreach (var (_, (field, _)) in fields)
        {
            if (!allowed.Contains(field.Name.StringValue))
            {
                return false;
            }
        }

        return true;
    }

    private static ValueTask<object?> Pick(IResolveFieldContext<SensorNode> c, Func<IResolveFieldContext<SensorNode>, SensorView, object?> pick)
    {
        var view = c.Source.ViewAsync();
        return view.IsCompletedSuccessfully ? new ValueTask<object?>(pick(c, view.Result)) : PickAsync(c, view, pick);
    }

    private static async ValueTask<object?> PickAsync(IResolveFieldContext<SensorNode> c, Task<SensorView> view, Func<IResolveFieldContext<SensorNode>, SensorView, object?> pick) =>
        pick(c, await view);

    private static async Task<object?> HistoryAsync(IResolveFieldContext<SensorNode> c)
    {
        var quantity = c.GetArgument<string>("quantity");
        var from = c.GetArgument<DateTimeOffset>("from");
        var to = c.GetArgument<DateTimeOffset>("to");
        var interval = c.GetArgument<HistoryInterval?>("interval") ?? HistoryInterval.Hour;
        if (from >= to)
        {
            throw GatewayErrors.BadRequest("history: 'from' must be before 'to'");
        }

        try
        {
            return await c.Source.Grain().GetHistory(quantity, from, to, interval);
        }
        catch (ArgumentException)
        {
            // The grain's own wording stays inside; the client gets what it can fix.
            throw GatewayErrors.BadRequest($"history: '{quantity}' is not a known quantity, or the range is longer than the sensor keeps");
        }
    }
}

internal static class SensorNodeGrain
{
    public static ISensorGrain Grain(this SensorNode node) => node.Grains.GetGrain<ISensorGrain>(node.Id);

    public static string? IdProblem(string id) => SensorId.Problem(id);
}
