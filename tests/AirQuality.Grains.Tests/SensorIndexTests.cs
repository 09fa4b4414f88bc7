using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Spatial;
using AirQuality.Grains.Index;

namespace AirQuality.Grains.Tests;

[Collection(ClusterDefinition.Name)]
public class SensorIndexTests(ClusterFixture fixture)
{
    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static IReadOnlyList<SensorSummary>? _seeded;

    private SensorDirectory Directory => new(fixture.Client);

    [Fact]
    public async Task Bbox_returns_exactly_the_sensors_inside()
    {
        var data = await SeedAsync();
        var bbox = new GeoBox(12.5, 50.5, 14.5, 53.0); // Dresden and Berlin
        var all = await AllPagesAsync(new SensorQuery { Bbox = bbox, First = 500 });

        var expected = data.Where(s => InBox(s, bbox)).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.True(expected.Length > 100);
        Assert.Equal(expected, all.Select(s => s.Id));
    }

    [Fact]
    public async Task Bbox_across_the_antimeridian_finds_both_sides_of_Fiji()
    {
        var data = await SeedAsync();
        var bbox = new GeoBox(177, -21, -178, -15);
        var all = await AllPagesAsync(new SensorQuery { Bbox = bbox });

        var expected = data.Where(s => InBox(s, bbox)).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(all, s => s.Longitude < 0);
        Assert.Contains(all, s => s.Longitude > 0);
        Assert.Equal(expected, all.Select(s => s.Id));
    }

    [Fact]
    public async Task Near_returns_the_sensors_within_the_radius()
    {
        var data = await SeedAsync();
        var near = new GeoCircle(51.05, 13.74, 40);
        var page = await Directory.FindAsync(new SensorQuery { Near = near, First = 500 });

        var expected = data.Where(s => GeoMath.HaversineKm(51.05, 13.74, s.Latitude, s.Longitude) <= 40).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.True(expected.Length < data.Count(s => s.Id.StartsWith("dresden", StringComparison.Ordinal)));
        Assert.Equal(expected, page.Items.Select(s => s.Id));
        Assert.Equal(expected.Length, page.TotalCount);
        Assert.False(page.HasNextPage);
    }

    [Fact]
    public async Task Near_and_bbox_together_keep_what_both_hold()
    {
        var data = await SeedAsync();
        var near = new GeoCircle(52.52, 13.405, 60);
        var bbox = new GeoBox(13.405, 50, 20, 60); // the eastern half of the circle
        var all = await AllPagesAsync(new SensorQuery { Near = near, Bbox = bbox });

        var expected = data.Where(s => InBox(s, bbox) && GeoMath.HaversineKm(52.52, 13.405, s.Latitude, s.Longitude) <= 60)
            .Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, all.Select(s => s.Id));
    }

    [Fact]
    public async Task Country_query_returns_that_countrys_sensors()
    {
        var data = await SeedAsync();
        var all = await AllPagesAsync(new SensorQuery { Country = "gb" });

        var expected = data.Where(s => s.Country == "GB").Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, all.Select(s => s.Id));
    }

    [Theory]
    [InlineData(IndexStandard.UsEpa2024, 51, 150)]
    [InlineData(IndexStandard.UkDaqi, 4, 6)]
    [InlineData(IndexStandard.EuEaqi2024, 1, 2)]
    public async Task Aqi_range_filters_under_the_chosen_standard(IndexStandard standard, int min, int max)
    {
        var data = await SeedAsync();
        var query = new SensorQuery { Country = "DE", Standard = standard, MinIndex = min, MaxIndex = max };
        var all = await AllPagesAsync(query);

        var expected = data.Where(s => s.Country == "DE" && s.IndexUnder(standard) is { } i && i >= min && i <= max)
            .Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, all.Select(s => s.Id));
    }

    [Fact]
    public async Task Status_filter_keeps_that_status()
    {
        var data = await SeedAsync();
        var bbox = new GeoBox(-1, 48, 3, 52); // London and Paris
        var all = await AllPagesAsync(new SensorQuery { Bbox = bbox, Status = SensorStatusView.Stale });

        // An ONLINE sensor not seen for 15 minutes is listed as STALE: the tile decides at query time.
        var staleBefore = ClusterFixture.Clock.GetUtcNow() - TimeSpan.FromMinutes(15);
        var expected = data
            .Where(s => InBox(s, bbox) && (s.Status == SensorStatusView.Stale || (s.Status == SensorStatusView.Online && s.LastSeen < staleBefore)))
            .Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, all.Select(s => s.Id));
    }

    [Fact]
    public async Task Paging_by_seven_yields_every_match_once_in_order()
    {
        var data = await SeedAsync();
        var query = new SensorQuery { Bbox = new GeoBox(-1, 48, 15, 53), First = 7 };
        var expected = data.Where(s => InBox(s, query.Bbox)).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();

        var seen = new List<string>();
        SensorPage page;
        var after = (string?)null;
        do
        {
            page = await Directory.FindAsync(query with { After = after });
            Assert.Equal(expected.Length, page.TotalCount);
            Assert.True(page.Items.Count <= 7);
            Assert.True(page.HasNextPage ? page.Items.Count == 7 : seen.Count + page.Items.Count == expected.Length);
            seen.AddRange(page.Items.Select(s => s.Id));
            after = page.EndCursor;
        }
        while (page.HasNextPage);

        Assert.Equal(expected, seen);
        Assert.Equal(SensorCursor.Encode(query, expected[^1]), page.EndCursor);
    }

    [Fact]
    public async Task First_is_clamped_to_1_to_500()
    {
        await SeedAsync();
        var bbox = new GeoBox(-1, 48, 15, 53);
        Assert.Single((await Directory.FindAsync(new SensorQuery { Bbox = bbox, First = 0 })).Items);
        var big = await Directory.FindAsync(new SensorQuery { Bbox = bbox, First = 100_000 });
        Assert.Equal(Math.Min(500, big.TotalCount), big.Items.Count);
    }

    [Fact]
    public async Task A_moved_sensor_appears_only_in_its_new_tile_and_country()
    {
        var nairobi = Summary("moving-1", -1.2921, 36.8219, "KE");
        var reykjavik = nairobi with { Latitude = 64.1466, Longitude = -21.9426, Country = "IS" };
        await SensorIndexUpdate.ApplyAsync(fixture.Client, null, nairobi);
        Assert.Equal(["moving-1"], await IdsAsync(new SensorQuery { Near = new GeoCircle(-1.2921, 36.8219, 10) }));

        Assert.True(SensorIndexUpdate.NeedsUpdate(nairobi, reykjavik));
        await SensorIndexUpdate.ApplyAsync(fixture.Client, nairobi, reykjavik);

        Assert.Empty(await IdsAsync(new SensorQuery { Near = new GeoCircle(-1.2921, 36.8219, 10) }));
        Assert.Empty(await IdsAsync(new SensorQuery { Country = "KE" }));
        Assert.Equal(["moving-1"], await IdsAsync(new SensorQuery { Near = new GeoCircle(64.1466, -21.9426, 10) }));
        Assert.Equal(["moving-1"], await IdsAsync(new SensorQuery { Country = "IS" }));

        await SensorIndexUpdate.ApplyAsync(fixture.Client, reykjavik, null);
        Assert.Empty(await IdsAsync(new SensorQuery { Country = "IS" }));
        Assert.Empty(await IdsAsync(new SensorQuery { Near = new GeoCircle(64.1466, -21.9426, 10) }));
    }

    [Theory]
    [InlineData(0, 10, 10, 0, "Invalid bbox [0, 10, 10, 0]: bbox minLat 10 is greater than maxLat 0.")]
    [InlineData(-200, 0, 10, 10, "Invalid bbox [-200, 0, 10, 10]: bbox minLon -200 is outside -180..180.")]
    public async Task Invalid_bbox_is_refused_with_the_reason(double minLon, double minLat, double maxLon, double maxLat, string message)
    {
        var error = await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Bbox = new GeoBox(minLon, minLat, maxLon, maxLat) }));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Too_large_an_area_is_refused()
    {
        var error = await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Bbox = new GeoBox(-180, -90, 180, 90) }));
        Assert.StartsWith("Area too large: the area covers 32768 index tiles", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Near = new GeoCircle(0, 0, 5000) }));
    }

    [Fact]
    public async Task A_query_without_an_area_is_refused()
    {
        var error = await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Status = SensorStatusView.Online }));
        Assert.Contains("needs an area", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_bounds_need_a_standard_and_countries_are_codes()
    {
        await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Country = "DE", MinIndex = 3 }));
        await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Country = "Germany" }));
        await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Near = new GeoCircle(51, 13, -1) }));
    }

    [Fact]
    public async Task A_cursor_from_another_query_or_no_cursor_at_all_is_refused()
    {
        await SeedAsync();
        var page = await Directory.FindAsync(new SensorQuery { Country = "DE", First = 3 });
        Assert.True(page.HasNextPage);

        var foreign = await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Country = "FR", After = page.EndCursor }));
        Assert.Contains("different query", foreign.Message, StringComparison.Ordinal);
        var garbage = await Assert.ThrowsAsync<SensorQueryException>(() => Directory.FindAsync(new SensorQuery { Country = "DE", After = "not a cursor!" }));
        Assert.Contains("not a cursor this service issued", garbage.Message, StringComparison.Ordinal);

        // The same query with another page size continues fine.
        var next = await Directory.FindAsync(new SensorQuery { Country = "DE", First = 10, After = page.EndCursor });
        Assert.True(string.CompareOrdinal(next.Items[0].Id, page.Items[^1].Id) > 0);
    }

    [Fact]
    public async Task The_index_survives_deactivation()
    {
        var sydney = Enumerable.Range(0, 20).Select(i => Summary($"sydney-{i:00}", -33.8688 + (i * 0.01), 151.2093, "AU")).ToArray();
        foreach (var s in sydney)
        {
            await SensorIndexUpdate.ApplyAsync(fixture.Client, null, s);
        }

        var before = await IdsAsync(new SensorQuery { Country = "AU" });
        Assert.Equal(20, before.Count);

        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection([silo.SiloAddress], TimeSpan.Zero);
        }

        Assert.Equal(before, await IdsAsync(new SensorQuery { Country = "AU" }));
        Assert.Equal(before, await IdsAsync(new SensorQuery { Near = new GeoCircle(-33.8688, 151.2093, 50) }));
    }

    [Fact]
    public void The_index_hears_of_changes_that_matter_only()
    {
        var s = Summary("x", 51.05, 13.74, "DE");
        Assert.False(SensorIndexUpdate.NeedsUpdate(null, null));
        Assert.True(SensorIndexUpdate.NeedsUpdate(null, s));
        Assert.True(SensorIndexUpdate.NeedsUpdate(s, null));
        Assert.False(SensorIndexUpdate.NeedsUpdate(s, s with { LastSeen = s.LastSeen!.Value.AddMinutes(1) }));
        Assert.True(SensorIndexUpdate.NeedsUpdate(s, s with { LastSeen = s.LastSeen!.Value.AddMinutes(5) }));
        Assert.True(SensorIndexUpdate.NeedsUpdate(s, s with { Status = SensorStatusView.Stale }));
        Assert.True(SensorIndexUpdate.NeedsUpdate(s, s with { EuIndex = 3 }));
        Assert.True(SensorIndexUpdate.NeedsUpdate(s, s with { Latitude = 51.06 }));
        Assert.True(SensorIndexUpdate.NeedsUpdate(s, s with { Country = "PL" }));
    }

    [Fact]
    public void A_summary_comes_from_the_sensor_view()
    {
        var seen = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var view = new SensorView(
            "v1",
            new LocationView(51.05, 13.74, 120, "DE", false),
            "SDS011",
            SensorStatusView.Online,
            seen,
            seen,
            [],
            [new AqiView("us-epa-2024", 101, "x", null, null, null, seen, false), new AqiView("uk-daqi", null, "x", null, null, null, seen, false), new AqiView("eu-eaqi-2024", 3, "x", null, null, null, seen, false)]);
        Assert.Equal(new SensorSummary("v1", 51.05, 13.74, "DE", false, SensorStatusView.Online, seen, 101, null, 3), SensorIndexUpdate.SummaryOf(view));
        Assert.Null(SensorIndexUpdate.SummaryOf(view with { Location = null }));
    }

    private static SensorSummary Summary(string id, double lat, double lon, string? country) =>
        new(id, lat, lon, country, false, SensorStatusView.Online, new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), 42, 2, 1);

    private static bool InBox(SensorSummary s, GeoBox? b) =>
        b is not null && s.Latitude >= b.MinLat && s.Latitude <= b.MaxLat
        && (b.MinLon <= b.MaxLon ? s.Longitude >= b.MinLon && s.Longitude <= b.MaxLon : s.Longitude >= b.MinLon || s.Longitude <= b.MaxLon);

    private async Task<List<string>> IdsAsync(SensorQuery query) => (await AllPagesAsync(query)).Select(s => s.Id).ToList();

    private async Task<List<SensorSummary>> AllPagesAsync(SensorQuery query)
    {
        var all = new List<SensorSummary>();
        SensorPage? page = null;
        do
        {
            page = await Directory.FindAsync(query with { After = page?.EndCursor });
            all.AddRange(page.Items);
        }
        while (page.HasNextPage);

        Assert.Equal(page.TotalCount, all.Count);
        return all;
    }

    /// <summary>
    /// About 60 sensors around each of six places (Fiji's on both sides of the antimeridian), seeded once for
    /// every read-only test of this class; the tests that change the index use places of their own.
    /// </summary>
    private async Task<IReadOnlyList<SensorSummary>> SeedAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (_seeded is not null)
            {
                return _seeded;
            }

            (string Name, double Lat, double Lon, string Country)[] places =
            [
                ("dresden", 51.05, 13.74, "DE"), ("berlin", 52.52, 13.405, "DE"), ("london", 51.5074, -0.1278, "GB"),
                ("paris", 48.8566, 2.3522, "FR"), ("suva", -18.14, 178.44, "FJ"), ("lau", -17.5, -179.2, "FJ"),
            ];
            var random = new Random(42);
            var statuses = Enum.GetValues<SensorStatusView>();
            var data = new List<SensorSummary>();
            foreach (var (name, lat, lon, country) in places)
            {
                for (var i = 0; i < 60; i++)
                {
                    var longitude = lon + ((random.NextDouble() - 0.5) * 1.6);
                    longitude = longitude > 180 ? longitude - 360 : longitude < -180 ? longitude + 360 : longitude;
                    data.Add(new SensorSummary(
                        $"{name}-{i:000}",
                        lat + ((random.NextDouble() - 0.5) * 1.2),
                        longitude,
                        i % 10 == 9 ? null : country,
                        i % 4 == 0,
                        statuses[random.Next(statuses.Length)],
                        new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddMinutes(-random.Next(600)),
                        random.Next(5) == 0 ? null : random.Next(0, 301),
                        random.Next(5) == 0 ? null : random.Next(1, 11),
                        random.Next(5) == 0 ? null : random.Next(1, 7)));
                }
            }

            await Parallel.ForEachAsync(data, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) => await SensorIndexUpdate.ApplyAsync(fixture.Client, null, s));
            return _seeded = data;
        }
        finally
        {
            SeedLock.Release();
        }
    }
}
