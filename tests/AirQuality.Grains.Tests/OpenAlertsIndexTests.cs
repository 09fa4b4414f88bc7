using AirQuality.Contracts;
using AirQuality.Domain.Quantities;
using AirQuality.Domain.Readings;
using AirQuality.Grains.Alerts;

namespace AirQuality.Grains.Tests;

/// <summary>The cluster-wide list of open alerts follows the alerts' transitions and pages newest first.</summary>
[Collection(ClusterDefinition.Name)]
public class OpenAlertsIndexTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_alert_is_listed_when_raised_changes_state_when_acknowledged_and_moves_to_cleared_when_cleared()
    {
        var id = $"open-{Guid.NewGuid():N}";
        var sensor = fixture.Client.GetGrain<ISensorGrain>(id);
        var directory = new OpenAlertDirectory(fixture.Client);
        var start = await RaiseStuckAsync(sensor);

        var page = await directory.ListAsync(id, null, 10, null);
        var listed = Assert.Single(page.Items);
        Assert.Equal("pm25-stuck", listed.Rule);
        Assert.Equal(AlertStateView.Active, listed.State);
        Assert.Equal(1, page.TotalCount);
        Assert.False(page.HasNextPage);
        Assert.Contains((await ListAllAsync(directory, null, AlertStateView.Active, 7)), a => a.Id == listed.Id);

        await sensor.AcknowledgeAlert(listed.Id, "on it");

        Assert.Equal(AlertStateView.Acknowledged, Assert.Single((await directory.ListAsync(id, null, 10, null)).Items).State);
        Assert.Empty((await directory.ListAsync(id, AlertStateView.Active, 10, null)).Items);
        Assert.Single((await directory.ListAsync(id, AlertStateView.Acknowledged, 10, null)).Items);
        Assert.DoesNotContain(await ListAllAsync(directory, null, AlertStateView.Active, 7), a => a.Id == listed.Id);

        // A different value ends the run of equal values: the alert clears and leaves the open ones.
        await sensor.Ingest([new Reading(id, start.AddMinutes(25 * 5), [new Measurement(Quantity.Pm25, 40)])]);

        Assert.Empty(await sensor.GetOpenAlerts());
        var after = await directory.ListAsync(id, null, 10, null);
        Assert.Empty(after.Items);
        Assert.Equal(0, after.TotalCount);
        Assert.DoesNotContain(await ListAllAsync(directory, null, null, 7), a => a.Id == listed.Id);

        // It is listed as cleared, for the sensor and across the cluster, for the retention (7 days by default).
        // (The old readings also raised and cleared "offline" on the way.)
        var cleared = Assert.Single((await directory.ListAsync(id, AlertStateView.Cleared, 10, null)).Items, a => a.Id == listed.Id);
        Assert.NotNull(cleared.ClearedAt);
        Assert.NotNull(cleared.AcknowledgedAt);
        Assert.Contains(await ListAllAsync(directory, null, AlertStateView.Cleared, 7), a => a.Id == listed.Id);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Empty((await directory.ListAsync(id, AlertStateView.Cleared, 10, null)).Items);
    }

    [Fact]
    public async Task The_cluster_list_pages_newest_raised_first_without_gaps_or_repeats()
    {
        var directory = new OpenAlertDirectory(fixture.Client);
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var sensor = fixture.Client.GetGrain<ISensorGrain>($"open-page-{i}-{Guid.NewGuid():N}");
            await RaiseStuckAsync(sensor);
            mine.Add(sensor.GetPrimaryKeyString());
            ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1)); // raised one second apart
        }

        var firstPage = await directory.ListAsync(null, null, 2, null);
        Assert.Equal(2, firstPage.Items.Count);
        Assert.True(firstPage.HasNextPage);

        var all = await ListAllAsync(directory, null, null, 2);

        // Whatever else other tests left open (the alert clock may raise more meanwhile, at the head of the
        // list, behind the cursor): every alert once, in order, ours among them newest first.
        Assert.Equal(all.Count, all.Select(a => a.Id).Distinct().Count());
        Assert.True(firstPage.TotalCount >= mine.Count);
        Assert.Equal(all.OrderBy(a => a, Comparer<AlertView>.Create(OpenAlertShards.Compare)).Select(a => a.Id), all.Select(a => a.Id));
        var ours = all.Where(a => mine.Contains(a.SensorId)).Select(a => a.SensorId).ToList();
        Assert.Equal(Enumerable.Reverse(mine), ours); // newest raised first
    }

    [Fact]
    public async Task Bad_listings_are_refused_with_a_clear_message()
    {
        var directory = new OpenAlertDirectory(fixture.Client);
        Assert.Contains("sensorId", (await Assert.ThrowsAsync<ArgumentException>(() => directory.ListAsync("bad id!", null, 10, null))).Message, StringComparison.Ordinal);
        Assert.Contains("not a cursor", (await Assert.ThrowsAsync<ArgumentException>(() => directory.ListAsync(null, null, 10, "###"))).Message, StringComparison.Ordinal);

        var sensor = fixture.Client.GetGrain<ISensorGrain>($"open-cursor-{Guid.NewGuid():N}");
        await RaiseStuckAsync(sensor);
        var page = await directory.ListAsync(null, null, 1, null);
        Assert.Contains("different query", (await Assert.ThrowsAsync<ArgumentException>(() => directory.ListAsync(null, AlertStateView.Active, 1, page.EndCursor))).Message, StringComparison.Ordinal);
    }

    /// <summary>Raises "pm25-stuck" (20 equal PM2.5 values in a row); returns the first reading's time.</summary>
    private static async Task<DateTimeOffset> RaiseStuckAsync(ISensorGrain sensor)
    {
        var id = sensor.GetPrimaryKeyString();
        var start = ClusterFixture.Clock.GetUtcNow().AddHours(-3);
        for (var i = 0; i < 20; i++)
        {
            await sensor.Ingest([new Reading(id, start.AddMinutes(i * 5), [new Measurement(Quantity.Pm25, 9.9)])]);
        }

        Assert.Single(await sensor.GetOpenAlerts());
        return start;
    }

    private static async Task<List<AlertView>> ListAllAsync(OpenAlertDirectory directory, string? sensorId, AlertStateView? state, int first)
    {
        var all = new List<AlertView>();
        string? after = null;
        do
        {
            var page = await directory.ListAsync(sensorId, state, first, after);
            all.AddRange(page.Items);
            after = page.HasNextPage ? page.EndCursor : null;
        }
        while (after is not null);

        return all;
    }
}
