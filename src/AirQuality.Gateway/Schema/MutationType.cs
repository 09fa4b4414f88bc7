using AirQuality.Contracts;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Data;
using AirQuality.Gateway.Schema.Types;
using GraphQL;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema;

/// <summary>
/// Mutations: every one needs a caller with the mutation role. The transports refuse others before execution;
/// each resolver checks again, so a mutation that reached execution some other way still does not run.
/// </summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType(GatewayContext gateway, GatewayAccessPolicy access)
    {
        Name = "Mutation";
        Description = $"Needs an API key or token with the role '{access.MutationRole}'.";

        Field<NonNullGraphType<AlertType>>("acknowledgeAlert")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async c =>
            {
                access.EnsureMayMutate(c.User);
                var id = c.GetArgument<string>("id");
                var sensorId = AlertId.SensorOf(id) ?? throw GatewayErrors.BadRequest("an alert id looks like '{sensorId}/{rule}/{ticks}'");
                var acknowledged = await gateway.Grains.GetGrain<ISensorGrain>(sensorId).AcknowledgeAlert(id, c.GetArgument<string?>("note"));
                return acknowledged ?? throw GatewayErrors.NotFound($"sensor '{sensorId}' has no active alert '{id}'");
            });

        Field<NonNullGraphType<SensorType>>("registerSensor")
            .Description("Sets metadata (location, name, indoor) for a pushed sensor that carries none.")
            .Argument<NonNullGraphType<SensorInputType>>("input")
            .ResolveAsync(async c =>
            {
                access.EnsureMayMutate(c.User);
                var input = c.GetArgument<Dictionary<string, object?>>("input");
                var id = QueryType.CheckSensorId((string)input["id"]!);
                var registration = new SensorRegistration
                {
                    Name = input.GetValueOrDefault("name") as string,
                    Latitude = Convert.ToDouble(input["latitude"], System.Globalization.CultureInfo.InvariantCulture),
                    Longitude = Convert.ToDouble(input["longitude"], System.Globalization.CultureInfo.InvariantCulture),
                    Altitude = input.GetValueOrDefault("altitude") is { } altitude ? Convert.ToDouble(altitude, System.Globalization.CultureInfo.InvariantCulture) : null,
                    Country = input.GetValueOrDefault("country") as string,
                    Indoor = input.GetValueOrDefault("indoor") as bool?,
                };
                try
                {
                    return new SensorNode(gateway.Grains, await gateway.Grains.GetGrain<ISensorGrain>(id).Register(registration));
                }
                catch (ArgumentException e)
                {
                    // The grain's own validation messages name the field; they carry nothing internal.
                    throw GatewayErrors.BadRequest(e.Message);
                }
            });
    }
}
