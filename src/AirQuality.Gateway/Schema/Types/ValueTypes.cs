using AirQuality.Contracts;
using AirQuality.Domain.Aqi;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

public sealed class LocationType : ObjectGraphType<LocationView>
{
    public LocationType()
    {
        Name = "Location";
        Field<NonNullGraphType<FloatGraphType>>("latitude").Resolve(c => c.Source.Latitude);
        Field<NonNullGraphType<FloatGraphType>>("longitude").Resolve(c => c.Source.Longitude);
        Field<FloatGraphType>("altitude").Resolve(c => c.Source.Altitude);
        Field<StringGraphType>("country").Resolve(c => c.Source.Country);
        Field<BooleanGraphType>("indoor").Resolve(c => c.Source.Indoor);
    }
}

public sealed class MeasurementType : ObjectGraphType<MeasurementView>
{
    public MeasurementType()
    {
        Name = "Measurement";
        Field<NonNullGraphType<StringGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<FloatGraphType>>("value").Resolve(c => c.Source.Value);
        Field<NonNullGraphType<StringGraphType>>("unit").Resolve(c => c.Source.Unit);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("timestamp").Resolve(c => c.Source.Timestamp);
    }
}

public sealed class AqiReadingType : ObjectGraphType<AqiView>
{
    public AqiReadingType()
    {
        Name = "AqiReading";
        Field<NonNullGraphType<AqiStandardGraphType>>("standard").Resolve(c => AqiStandardGraphType.FromViewName(c.Source.Standard));
        Field<IntGraphType>("index").Resolve(c => c.Source.Index);
        Field<NonNullGraphType<StringGraphType>>("category").Resolve(c => c.Source.Category);
        Field<StringGraphType>("color").Resolve(c => c.Source.Color);
        Field<StringGraphType>("dominantPollutant").Resolve(c => c.Source.DominantPollutant);
        Field<StringGraphType>("averaging").Resolve(c => c.Source.Averaging);
        Field<UtcDateTimeGraphType>("validAt").Resolve(c => c.Source.ValidAt);
        Field<NonNullGraphType<BooleanGraphType>>("beyondIndex")
            .Description("The concentration is above the top of the scale; index is the top value.")
            .Resolve(c => c.Source.BeyondIndex);
    }
}

public sealed class AggregateType : ObjectGraphType<AggregateView>
{
    public AggregateType()
    {
        Name = "Aggregate";
        Field<NonNullGraphType<StringGraphType>>("quantity").Resolve(c => c.Source.Quantity);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("periodStart").Resolve(c => c.Source.PeriodStart);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("periodEnd").Resolve(c => c.Source.PeriodEnd);
        Field<FloatGraphType>("mean").Resolve(c => c.Source.Mean);
        Field<FloatGraphType>("min").Resolve(c => c.Source.Min);
        Field<FloatGraphType>("max").Resolve(c => c.Source.Max);
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(c => c.Source.Count);
        Field<NonNullGraphType<FloatGraphType>>("coverage").Resolve(c => c.Source.Coverage);
    }
}

public sealed class AlertType : ObjectGraphType<AlertView>
{
    public AlertType()
    {
        Name = "Alert";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("sensorId").Resolve(c => c.Source.SensorId);
        Field<NonNullGraphType<StringGraphType>>("rule").Resolve(c => c.Source.Rule);
        Field<NonNullGraphType<AlertStateGraphType>>("state").Resolve(c => c.Source.State);
        Field<NonNullGraphType<StringGraphType>>("severity").Resolve(c => c.Source.Severity);
        Field<NonNullGraphType<UtcDateTimeGraphType>>("raisedAt").Resolve(c => c.Source.RaisedAt);
        Field<UtcDateTimeGraphType>("acknowledgedAt").Resolve(c => c.Source.AcknowledgedAt);
        Field<UtcDateTimeGraphType>("clearedAt").Resolve(c => c.Source.ClearedAt);
        Field<FloatGraphType>("triggerValue").Resolve(c => c.Source.TriggerValue);
        Field<NonNullGraphType<StringGraphType>>("message").Resolve(c => c.Source.Message);
    }
}

/// <summary>One band of a standard's scale, for legends.</summary>
public sealed class AqiBandType : ObjectGraphType<AqiCategory>
{
    public AqiBandType()
    {
        Name = "AqiBand";
        Field<NonNullGraphType<IntGraphType>>("low").Resolve(c => c.Source.MinIndex);
        Field<NonNullGraphType<IntGraphType>>("high").Resolve(c => c.Source.MaxIndex);
        Field<NonNullGraphType<StringGraphType>>("category").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<StringGraphType>>("color").Resolve(c => c.Source.Color);
    }
}
