using System.Runtime.CompilerServices;
using AirQuality.Contracts;
using AirQuality.Gateway.Data;
using AirQuality.Gateway.Schema.Types;
using GraphQL;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema;

public sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType(GatewayContext gateway)
    {
        Name = "Subscription";

        Field<NonNullGraphType<AlertType>>("alertChanged")
            .Description("Alerts raised, acknowledged or cleared from now on; for one sensor, or the sensors in a bbox.")
            .Argument<ListGraphType<NonNullGraphType<FloatGraphType>>>("bbox", a => a.Description = "[minLon, minLat, maxLon, maxLat]")
            .Argument<IdGraphType>("sensorId")
            .ResolveStreamAsync(async c =>
            {
                var source = gateway.AlertEvents ?? throw GatewayErrors.NotAvailableYet("alertChanged");
                var sensorId = c.GetArgument<string?>("sensorId") is { } id ? QueryType.CheckSensorId(id) : null;
                var bbox = c.GetArgument<List<double>?>("bbox");
                if (bbox is not null && bbox.Count != 4)
                {
                    throw GatewayErrors.BadRequest("bbox must be four numbers: [minLon, minLat, maxLon, maxLat]");
                }

                // The watch is in place before the transport reads the client's next message.
                await source.WatchAsync(c.CancellationToken);
                return new AsyncEnumerableObservable<AlertView>(token => AlertsAsync(source, gateway, sensorId, bbox, token));
            });

        Field<NonNullGraphType<SensorType>>("sensorUpdated")
            .Description("The sensor's view each time it changes.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveStreamAsync(async c =>
            {
                var source = gateway.SensorUpdates ?? throw GatewayErrors.NotAvailableYet("sensorUpdated");
                var id = QueryType.CheckSensorId(c.GetArgument<string>("id"));
                await source.WatchAsync(id, c.CancellationToken);
                return new AsyncEnumerableObservable<SensorNode>(token => UpdatesAsync(source, gateway, id, token));
            });
    }

    private static async IAsyncEnumerable<AlertView> AlertsAsync(
        IAlertEventSource source, GatewayContext gateway, string? sensorId, List<double>? bbox, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in source.SubscribeAsync(cancellationToken))
        {
            var alert = change.Alert;
            if (sensorId is not null && alert.SensorId != sensorId)
            {
                continue;
            }

            if (bbox is not null && !Inside(bbox, (await gateway.Grains.GetGrain<ISensorGrain>(alert.SensorId).GetView()).Location))
            {
                continue;
            }

            yield return alert;
        }
    }

    private static async IAsyncEnumerable<SensorNode> UpdatesAsync(
        ISensorUpdateSource source, GatewayContext gateway, string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var view in source.SubscribeAsync(id, cancellationToken))
        {
            // The source is per sensor; a view for another id would be a source's bug, never shown.
            if (view.Id == id)
            {
                yield return new SensorNode(gateway.Grains, view);
            }
        }
    }

    /// <summary>Whether a location is in [minLon, minLat, maxLon, maxLat]; minLon &gt; maxLon crosses the antimeridian.</summary>
    private static bool Inside(List<double> bbox, LocationView? location)
    {
        if (location is null || location.Latitude < bbox[1] || location.Latitude > bbox[3])
        {
            return false;
        }

        return bbox[0] <= bbox[2]
            ? location.Longitude >= bbox[0] && location.Longitude <= bbox[2]
            : location.Longitude >= bbox[0] || location.Longitude <= bbox[2];
    }
}
