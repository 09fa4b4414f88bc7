using AirQuality.Contracts.Index;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Spatial;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

/// <summary>One overview cell as the schema shows it: the aggregate, read under the standard the query chose.</summary>
public sealed record GridCell(CellAggregate Aggregate, int Precision, IndexStandard Standard)
{
    public IndexAggregate Index => Aggregate.Under(Standard);

    /// <summary>The band of the worst index (null without one): the colour a map must not hide.</summary>
    public AqiCategory? Band => Index.Max is { } max ? AqiStandardGraphType.Scale(Standard).CategoryOf(max) : null;

    public GeohashCell Bounds => Geohash.Decode(Aggregate.Cell);
}

public sealed class GridCellType : ObjectGraphType<GridCell>
{
    public GridCellType()
    {
        Name = "GridCell";
        Description = "The sensors in one geohash cell of the overview, as of a few seconds ago.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The cell's geohash.").Resolve(c => c.Source.Aggregate.Cell);
        Field<NonNullGraphType<IntGraphType>>("precision").Description("Geohash characters of the cell.").Resolve(c => c.Source.Precision);
        Field<NonNullGraphType<FloatGraphType>>("latitude").Description("Mean latitude of the cell's sensors.").Resolve(c => c.Source.Aggregate.Latitude);
        Field<NonNullGraphType<FloatGraphType>>("longitude").Description("Mean longitude of the cell's sensors.").Resolve(c => c.Source.Aggregate.Longitude);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FloatGraphType>>>>("bbox")
            .Description("The cell's bounds: [minLon, minLat, maxLon, maxLat].")
            .Resolve(c => new[] { c.Source.Bounds.MinLon, c.Source.Bounds.MinLat, c.Source.Bounds.MaxLon, c.Source.Bounds.MaxLat });
        Field<NonNullGraphType<IntGraphType>>("count").Description("Sensors in the cell.").Resolve(c => c.Source.Aggregate.Count);
        Field<NonNullGraphType<IntGraphType>>("online").Resolve(c => c.Source.Aggregate.Online);
        Field<NonNullGraphType<IntGraphType>>("stale").Resolve(c => c.Source.Aggregate.Stale);
        Field<NonNullGraphType<IntGraphType>>("neverSeen").Resolve(c => c.Source.Aggregate.NeverSeen);
        Field<NonNullGraphType<IntGraphType>>("withIndex").Description("Sensors with an index under the standard.").Resolve(c => c.Source.Index.Count);
        Field<IntGraphType>("aqiMax").Description("The worst index under the standard; null when no sensor has one.").Resolve(c => c.Source.Index.Max);
        Field<FloatGraphType>("aqiMean").Description("The mean index of the sensors that have one.").Resolve(c => c.Source.Index.Mean);
        Field<StringGraphType>("category").Description("The band of aqiMax.").Resolve(c => c.Source.Band?.Name);
        Field<StringGraphType>("color").Description("The colour of aqiMax's band (#rrggbb).").Resolve(c => c.Source.Band?.Color);
    }
}
