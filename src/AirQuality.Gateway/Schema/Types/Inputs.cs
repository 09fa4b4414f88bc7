using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

/// <summary>A circle: sensors within radiusKm (great-circle) of a point.</summary>
public sealed class NearInput
{
    public double Latitude { get; set; }

    public double Longitude { get; set; }

    public double RadiusKm { get; set; }
}

public sealed class NearInputType : InputObjectGraphType<NearInput>
{
    public NearInputType()
    {
        Name = "NearInput";
        Field<NonNullGraphType<FloatGraphType>>("latitude");
        Field<NonNullGraphType<FloatGraphType>>("longitude");
        Field<NonNullGraphType<FloatGraphType>>("radiusKm");
    }
}

/// <summary>Metadata for a pushed sensor that carries none (registerSensor).</summary>
public sealed class SensorInputType : InputObjectGraphType
{
    public SensorInputType()
    {
        Name = "SensorInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("name");
        Field<NonNullGraphType<FloatGraphType>>("latitude");
        Field<NonNullGraphType<FloatGraphType>>("longitude");
        Field<FloatGraphType>("altitude");
        Field<StringGraphType>("country");
        Field<BooleanGraphType>("indoor");
    }
}
