using AirQuality.Domain.Spatial;

namespace AirQuality.Domain.Tests.Spatial;

public class GeohashTests
{
    [Theory]
    [InlineData(57.64911, 10.40744, 11, "u4pruydqqvj")]
    [InlineData(51.05, 13.74, 5, "u31f2")] // Dresden
    [InlineData(51.5074, -0.1278, 6, "gcpvj0")] // London
    [InlineData(0, 0, 1, "s")]
    [InlineData(-90, -180, 3, "000")]
    [InlineData(90, 180, 3, "zzz")]
    public void Encodes_known_points(double lat, double lon, int precision, string expected) =>
        Assert.Equal(expected, Geohash.Encode(lat, lon, precision));

    [Fact]
    public void Decodes_to_the_cell_holding_the_point()
    {
        var cell = Geohash.Decode("u4pruydqqvj");
        Assert.InRange(57.64911, cell.MinLat, cell.MaxLat);
        Assert.InRange(10.40744, cell.MinLon, cell.MaxLon);
        Assert.True(cell.MaxLat - cell.MinLat < 0.00005);

        var tile = Geohash.Decode("u31");
        Assert.Equal(1.40625, tile.MaxLon - tile.MinLon, 9);
        Assert.Equal(1.40625, tile.MaxLat - tile.MinLat, 9);
        Assert.Equal("u31", Geohash.Encode(tile.CenterLat, tile.CenterLon, 3));
    }

    [Theory]
    [InlineData("")]
    [InlineData("u3a")]
    [InlineData("u4pruydqqvjxx")]
    public void Refuses_what_is_not_a_geohash(string text) => Assert.Throws<ArgumentException>(() => Geohash.Decode(text));
}

public class GeoMathTests
{
    [Fact]
    public void Dresden_to_London_is_about_964_km() =>
        Assert.Equal(964, GeoMath.HaversineKm(51.05, 13.74, 51.5074, -0.1278), 0);

    [Fact]
    public void Pole_to_pole_is_half_the_circumference() =>
        Assert.Equal(Math.PI * GeoMath.EarthRadiusKm, GeoMath.HaversineKm(90, 0, -90, 0), 6);

    [Fact]
    public void Across_the_antimeridian_the_distance_is_short() =>
        Assert.InRange(GeoMath.HaversineKm(-17.7, 179.9, -17.7, -179.9), 21, 22);
}

public class BoundingBoxTests
{
    [Theory]
    [InlineData(-181, 0, 10, 10, "minLon")]
    [InlineData(0, -91, 10, 10, "minLat")]
    [InlineData(0, 0, 10, 90.5, "maxLat")]
    [InlineData(0, 10, 10, 0, "minLat 10 is greater than maxLat 0")]
    [InlineData(double.NaN, 0, 10, 10, "minLon NaN")]
    public void Invalid_boxes_say_why(double minLon, double minLat, double maxLon, double maxLat, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => BoundingBox.Create(minLon, minLat, maxLon, maxLat));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_box_across_the_antimeridian_around_Fiji_holds_both_sides()
    {
        var fiji = BoundingBox.Create(177, -21, -178, -12);
        Assert.True(fiji.CrossesAntimeridian);
        Assert.True(fiji.Contains(-18.14, 178.44)); // Suva
        Assert.True(fiji.Contains(-16.5, -179.9));
        Assert.False(fiji.Contains(-18, 0));
        Assert.False(fiji.Contains(-18, 176));
        Assert.Equal(2, fiji.Split().Count());
    }

    [Fact]
    public void Circle_box_holds_the_circle()
    {
        var box = BoundingBox.AroundCircle(51.05, 13.74, 100);
        Assert.False(box.CrossesAntimeridian);
        Assert.True(box.Contains(51.05 + 0.89, 13.74));
        Assert.True(box.Contains(51.05, 13.74 + 1.42));
        Assert.False(box.Contains(51.05 + 0.92, 13.74));
        Assert.False(box.Contains(51.05, 13.74 + 1.5));
    }

    [Fact]
    public void Circle_box_near_the_antimeridian_crosses_it()
    {
        var box = BoundingBox.AroundCircle(-17.7, 179.5, 200);
        Assert.True(box.CrossesAntimeridian);
        Assert.True(box.Contains(-17.7, -179.5));
    }

    [Fact]
    public void Circle_box_around_a_pole_spans_every_longitude()
    {
        var box = BoundingBox.AroundCircle(89.5, 10, 100);
        Assert.Equal(-180, box.MinLon);
        Assert.Equal(180, box.MaxLon);
        Assert.Equal(90, box.MaxLat);
        Assert.True(box.Contains(89.9, -170));
    }

    [Fact]
    public void Radius_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BoundingBox.AroundCircle(0, 0, 0));
}

public class TileSchemeTests
{
    [Fact]
    public void Dresden_is_in_tile_u31() => Assert.Equal("u31", TileScheme.Default.TileOf(51.05, 13.74));

    [Fact]
    public void Tiles_covering_a_box_are_exactly_those_its_points_fall_in()
    {
        var scheme = TileScheme.Default;
        var box = BoundingBox.Create(12.0, 50.5, 15.5, 52.0);
        var tiles = scheme.TilesCovering(box);
        var sampled = new HashSet<string>();
        for (var i = 0; i <= 100; i++)
        {
            for (var j = 0; j <= 100; j++)
            {
                sampled.Add(scheme.TileOf(box.MinLat + ((box.MaxLat - box.MinLat) * i / 100), box.MinLon + ((box.MaxLon - box.MinLon) * j / 100)));
            }
        }

        Assert.Contains("u31", tiles);
        Assert.Equal(sampled.Order(StringComparer.Ordinal), tiles);
    }

    [Fact]
    public void Tiles_across_the_antimeridian_come_from_both_sides()
    {
        var scheme = TileScheme.Default;
        var tiles = scheme.TilesCovering(BoundingBox.Create(177, -21, -178, -12));
        Assert.Contains(scheme.TileOf(-18.14, 178.44), tiles);
        Assert.Contains(scheme.TileOf(-16.5, -179.9), tiles);
        Assert.DoesNotContain(scheme.TileOf(-18, 0), tiles);
        Assert.Equal(tiles.Count, tiles.Distinct().Count());
        Assert.Equal(scheme.CountTiles(BoundingBox.Create(177, -21, -178, -12)), tiles.Count);
    }

    [Fact]
    public void A_point_box_is_one_tile() =>
        Assert.Equal(["u31"], TileScheme.Default.TilesCovering(BoundingBox.Create(13.74, 51.05, 13.74, 51.05)));

    [Fact]
    public void The_poles_are_covered()
    {
        var scheme = new TileScheme(3, 1024);
        var north = scheme.TilesCovering(BoundingBox.AroundCircle(90, 0, 50));
        Assert.Equal(256, north.Count); // every column of the top row
        Assert.Contains(scheme.TileOf(89.9, 179.9), north);
        Assert.Contains(scheme.TileOf(-90, -180), scheme.TilesCovering(BoundingBox.Create(-180, -90, -179, -89)));
    }

    [Fact]
    public void Too_large_an_area_is_refused_with_a_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => TileScheme.Default.TilesCovering(BoundingBox.World));
        Assert.Contains("32768 index tiles", error.Message, StringComparison.Ordinal);
    }
}
