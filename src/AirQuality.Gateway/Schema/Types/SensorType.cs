using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Readings;
using GraphQL;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

public sealed class SensorType : ObjectGraphType<SensorNode>
{
    public SensorType()
    {
        Name = "Sensor";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<LocationType>("location").ResolveAsync(async c => c.Source.Summary is { } s
            ? new LocationView(s.Latitude, s.Longitude, null, s.Country, s.Indoor)
            : (await c.Source.ViewAsync()).Location);
        Field<NonNullGraphType<SensorStatusGraphType>>("status").ResolveAsync(async c =>
            c.Source.Summary?.Status ?? (await c.Source.ViewAsync()).Status);
        Field<UtcDateTimeGraphType>("lastSeen").ResolveAsync(async c =>
            c.Source.Summary is { } s ? s.LastSeen : (await c.Source.ViewAsync()).LastSeen);
        Field<StringGraphType>("sensorType").ResolveAsync(async c => (await c.Source.ViewAsync()).SensorType);
        Field<StringGraphType>("name").Description("A name set by registerSensor.").ResolveAsync(async c => (await c.Source.ViewAsync()).Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasurementType>>>>("latest")
            .ResolveAsync(async c => (await c.Source.ViewAsync()).Latest);
        Field<AqiReadingType>("aqi")
            .Argument<NonNullGraphType<AqiStandardGraphType>>("standard")
            .ResolveAsync(async c =>
            {
                var name = AqiStandardGraphType.ViewName(c.GetArgument<IndexStandard>("standard"));
                return (await c.Source.ViewAsync()).Aqi.FirstOrDefault(a => a.Standard == name);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AggregateType>>>>("history")
            .Argument<NonNullGraphType<StringGraphType>>("quantity")
            .Argument<NonNullGraphType<UtcDateTimeGraphType>>("from")
            .Argument<NonNullGraphType<UtcDateTimeGraphType>>("to")
            .Argument<IntervalGraphType>("interval", a => a.DefaultValue = HistoryInterval.Hour)
            .ResolveAsync(async c => await HistoryAsync(c));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertType>>>>("alerts")
            .Argument<AlertStateGraphType>("state")
            .ResolveAsync(async c =>
            {
                var state = c.GetArgument<AlertStateView?>("state");
                var open = await c.Source.Grain().GetOpenAlerts();
                return open.Where(a => state is null || a.State == state).ToList();
            });
    }

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
