using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Spatial;
using AirQuality.Grains.Index;

namespace AirQuality.Grains.Tests;

/// <summary>
/// The overview the index keeps: tiles report their aggregate to the region one character shorter, regions to
/// the region above. The fixture reports at once (OverviewInterval zero), so each assertion follows the change
/// it checks. Every test stands in cells of its own (open ocean), away from the other index tests' sensors.
/// </summary>
[Collection(ClusterDefinition.Name)]
public class OverviewIndexTests(ClusterFixture fixture)
{
    private static readonly TileScheme Scheme = TileScheme.Default;

    [Fact]
    public async Task Sensors_added_to_a_tile_are_counted_with_their_centroid_statuses_and_worst_index()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var a = Summary("ov-add-a", 10.30, -150.30, now, us: 40);
        var b = Summary("ov-add-b", 10.50, -150.10, now, us: 120, eu: 3);
        var never = Summary("ov-add-c", 10.40, -150.20, null) with { Status = SensorStatusView.NeverSeen };
        foreach (var s in new[] { a, b, never })
        {
            await SensorIndexUpdate.ApplyAsync(fixture.Client, null, s);
        }

        var tile = Scheme.TileOf(10.30, -150.30);
        Assert.Equal(tile, Scheme.TileOf(10.50, -150.10)); // all three in one tile
        var cell = await CellAsync(tile);
        Assert.Equal(3, cell.Count);
        Assert.Equal((10.30 + 10.50 + 10.40) / 3, cell.Latitude, 9);
        Assert.Equal((-150.30 - 150.10 - 150.20) / 3, cell.Longitude, 9);
        Assert.Equal((2, 0, 1), (cell.Online, cell.Stale, cell.NeverSeen));
        Assert.Equal(new IndexAggregate(120, 160, 2), cell.Us);
        Assert.Equal(80, cell.Us.Mean);
        Assert.Equal(new IndexAggregate(3, 3, 1), cell.Eu);
        Assert.Equal(default, cell.Uk);

        // The region above the tile's region holds the same totals for the tile's region.
        var region = await CellAsync(tile[..2]);
        Assert.Equal((3, 120, 160), (region.Count, region.Us.Max, region.Us.Sum));
    }

    [Fact]
    public async Task A_sensor_that_moves_leaves_its_old_tile_and_region()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var at = Summary("ov-move", -30.30, -120.30, now, us: 60);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, at);
        var first = Scheme.TileOf(-30.30, -120.30);
        Assert.Equal(1, (await CellAsync(first)).Count);

        // Into the next tile of the same region.
        var next = at with { Longitude = -118.50 };
        var second = Scheme.TileOf(next.Latitude, next.Longitude);
        Assert.NotEqual(first, second);
        Assert.Equal(first[..2], second[..2]);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, at, next);
        Assert.Null(await FindCellAsync(first));
        Assert.Equal(1, (await CellAsync(second)).Count);
        Assert.Equal(-118.50, (await CellAsync(second)).Longitude, 9);
        Assert.Equal(1, (await CellAsync(first[..2])).Count);

        // Into another region: the old region's total drops to nothing and leaves its parent.
        var far = next with { Latitude = -45.30, Longitude = -100.30 };
        var third = Scheme.TileOf(far.Latitude, far.Longitude);
        Assert.NotEqual(second[..2], third[..2]);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, next, far);
        Assert.Null(await FindCellAsync(second));
        Assert.Null(await FindCellAsync(second[..2]));
        Assert.Equal(1, (await CellAsync(third)).Count);
        Assert.Equal(1, (await CellAsync(third[..2])).Count);
    }

    [Fact]
    public async Task A_changed_index_changes_the_worst_and_the_mean_both_ways()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var calm = Summary("ov-aqi-a", 20.30, -170.30, now, us: 50);
        var other = Summary("ov-aqi-b", 20.40, -170.40, now, us: 20);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, calm);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, other);
        var tile = Scheme.TileOf(20.30, -170.30);
        Assert.Equal(tile, Scheme.TileOf(20.40, -170.40));
        Assert.Equal(50, (await CellAsync(tile)).Us.Max);

        var smoke = calm with { UsIndex = 180 };
        await SensorIndexUpdate.ApplyAsync(fixture.Client, calm, smoke);
        Assert.Equal(new IndexAggregate(180, 200, 2), (await CellAsync(tile)).Us);
        Assert.Equal(180, (await CellAsync(tile[..2])).Us.Max);

        // The worst is recomputed from the sensors, not kept as a high-water mark.
        var cleared = smoke with { UsIndex = 30 };
        await SensorIndexUpdate.ApplyAsync(fixture.Client, smoke, cleared);
        Assert.Equal(new IndexAggregate(30, 50, 2), (await CellAsync(tile)).Us);
        Assert.Equal(30, (await CellAsync(tile[..2])).Us.Max);

        // Insufficient data again: the sensor counts, its index does not.
        await SensorIndexUpdate.ApplyAsync(fixture.Client, cleared, cleared with { UsIndex = null });
        var cell = await CellAsync(tile);
        Assert.Equal((2, new IndexAggregate(20, 20, 1)), (cell.Count, cell.Us));
    }

    [Fact]
    public async Task Removed_sensors_leave_the_overview_and_an_empty_tile_disappears()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var a = Summary("ov-rm-a", -10.30, -130.30, now, us: 90);
        var b = Summary("ov-rm-b", -10.40, -130.40, now, us: 10);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, a);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, b);
        var tile = Scheme.TileOf(a.Latitude, a.Longitude);
        Assert.Equal(tile, Scheme.TileOf(b.Latitude, b.Longitude));
        Assert.Equal(2, (await CellAsync(tile)).Count);

        await SensorIndexUpdate.ApplyAsync(fixture.Client, a, null);
        var left = await CellAsync(tile);
        Assert.Equal((1, 10), (left.Count, left.Us.Max));
        Assert.Equal(-10.40, left.Latitude, 9);

        await SensorIndexUpdate.ApplyAsync(fixture.Client, b, null);
        Assert.Null(await FindCellAsync(tile));
        Assert.Null(await FindCellAsync(tile[..2]));
    }

    [Fact]
    public async Task Online_sensors_of_a_quiet_cell_turn_stale_without_a_report()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var quiet = Summary("ov-quiet", 0.30, -160.20, now, us: 12);
        var already = Summary("ov-old", 0.40, -160.25, now - TimeSpan.FromMinutes(20), us: 15);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, quiet);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, already);
        var tile = Scheme.TileOf(quiet.Latitude, quiet.Longitude);
        Assert.Equal(tile, Scheme.TileOf(already.Latitude, already.Longitude));
        var cell = await CellAsync(tile);
        Assert.Equal((1, 1), (cell.Online, cell.Stale)); // counted by its own last-seen time when reported

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(16)); // StaleAfter is 15 minutes
        cell = await CellAsync(tile);
        Assert.Equal((0, 2), (cell.Online, cell.Stale));
        var region = await CellAsync(tile[..2]);
        Assert.Equal((0, 2), (region.Online, region.Stale));
    }

    [Fact]
    public async Task The_overview_answers_the_whole_world_and_refuses_what_it_cannot_bound()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var s = Summary("ov-world", 60.30, -40.30, now, us: 77);
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, s);
        var tile = Scheme.TileOf(s.Latitude, s.Longitude);
        var overview = new SensorOverview(fixture.Client);

        var world = await overview.CellsAsync(BoundingBox.World, null);
        Assert.Equal(2, world.Precision);
        var mine = Assert.Single(world.Cells, c => c.Cell == tile[..2]);
        Assert.Equal((1, 77), (mine.Count, mine.Us.Max));
        Assert.Equal(world.Cells.Select(c => c.Cell).Order(StringComparer.Ordinal), world.Cells.Select(c => c.Cell));

        var continents = await overview.CellsAsync(BoundingBox.World, 1);
        Assert.Equal(world.Cells.Sum(c => c.Count), continents.Cells.Sum(c => c.Count));
        Assert.All(continents.Cells, c => Assert.Single(c.Cell));

        var near = await overview.CellsAsync(BoundingBox.Create(-50, 55, -30, 65), 3);
        Assert.Equal(tile, Assert.Single(near.Cells, c => c.Cell.StartsWith(tile[..2], StringComparison.Ordinal)).Cell);

        // Tile precision over the whole world would read 1,024 regions: refused with the way out.
        var tooLarge = await Assert.ThrowsAsync<SensorQueryException>(() => overview.CellsAsync(BoundingBox.World, 3));
        Assert.StartsWith("Area too large for precision 3", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("precision 2", tooLarge.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SensorQueryException>(() => overview.CellsAsync(BoundingBox.World, 0));
        await Assert.ThrowsAsync<SensorQueryException>(() => overview.CellsAsync(BoundingBox.World, 4));
    }

    [Fact]
    public async Task A_region_takes_reports_only_from_cells_inside_it()
    {
        var region = fixture.Client.GetGrain<IRegionIndexGrain>("kz");
        await Assert.ThrowsAsync<ArgumentException>(() => region.Report(CellAggregate.Empty("u33") with { Count = 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => region.Report(CellAggregate.Empty("kz") with { Count = 1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetGrain<IRegionIndexGrain>("kzz").Cells());
        Assert.Equal("region 'KZ' is not lower case", RegionIndexGrain.RegionProblem("KZ", 3));
    }

    /// <summary>The cell's aggregate in the region one character shorter; it must be there.</summary>
    private async Task<CellAggregate> CellAsync(string cell) =>
        await FindCellAsync(cell) ?? throw new Xunit.Sdk.XunitException($"cell {cell} is not in region {cell[..^1]}");

    private async Task<CellAggregate?> FindCellAsync(string cell)
    {
        var cells = await fixture.Client.GetGrain<IRegionIndexGrain>(cell[..^1]).Cells();
        return cells.SingleOrDefault(c => c.Cell == cell);
    }

    private static SensorSummary Summary(string id, double latitude, double longitude, DateTimeOffset? lastSeen, int? us = null, int? eu = null) =>
        new(id, latitude, longitude, null, false, SensorStatusView.Online, lastSeen, us, null, eu);
}
