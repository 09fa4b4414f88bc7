namespace AirQuality.Contracts;

/// <summary>
/// Hears that a sensor's view changed (readings applied, a registration, an alert transition), for live
/// subscriptions (the GraphQL gateway's sensorUpdated). Only the id travels: a subscriber that wants the
/// new view asks the sensor, so a sensor that changes while nobody listens builds nothing. A silo calls
/// every registered sink at most once per grain call of a sensor; a sink must return at once (queue, never
/// wait on a consumer). A sink that throws is logged, the sensor carries on.
/// </summary>
public interface ISensorChangeSink
{
    ValueTask SensorChangedAsync(string sensorId, CancellationToken cancellationToken);
}
