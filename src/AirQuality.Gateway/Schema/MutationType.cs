using AirQuality.Contracts;
using AirQuality.Gateway.Data;
using AirQuality.Gateway.Schema.Types;
using GraphQL;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema;

public sealed class MutationType : ObjectGraphType
{
    public MutationType(GatewayContext gateway)
    {
        Name = "Mutation";

        Field<NonNullGraphType<AlertType>>("acknowledgeAlert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("id");
                var sensorId = AlertId.SensorOf(id) ?? throw GatewayErrors.BadRequest("an alert id looks like '{sensorId}/{rule}/{ticks}'");
                var acknowledged = await gateway.Grains.GetGrain<ISensorGrain>(sensorId).AcknowledgeAlert(id, c.GetArgument<string?>("note"));
                return acknowledged ?? throw GatewayErrors.NotFound($"sensor '{sensorId}' has no active alert '{id}'");
            });

        Field<NonNullGraphType<SensorType>>("registerSensor")
            .Description("Sets metadata (location, name, indoor) for a pushed sensor that carries none.")
            .Argument<NonNullGraphType<SensorInputType>>("input")
            .Resolve(_ => throw GatewayErrors.NotAvailableYet("registerSensor"));
    }
}
