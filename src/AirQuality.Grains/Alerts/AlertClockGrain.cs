using AirQuality.Contracts;

using AirQuality.Grains.Hosting;

namespace AirQuality.Grains.Alerts;

/// <summary>
/// The cluster's alert clock (see <see cref="IAlertClockGrain"/>): a sorted set of minutes with sensors
/// due, written at once on every change (a change is one minute announced or done: rare), and in memory
/// which minutes are leased to a silo checking them.
/// </summary>
[GrainType("alertclock")]
public sealed class AlertClockGrain(
    [PersistentState("clock", AirQualityStorage.Index)] IPersistentState<AlertClockState> stored,
    TimeProvider time)
    : WriteBehindGrain, IAlertClockGrain
{
    /// <summary>How long a silo may take over a minute's checks before another may try it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly Dictionary<long, DateTimeOffset> _leasedUntil = [];

    protected override TimeSpan PersistInterval => TimeSpan.Zero;

    protected override Task WriteStateAsync() => stored.WriteStateAsync();

    public Task Announce(long minute) => stored.State.Pending.Add(minute) ? ChangedAsync() : Task.CompletedTask;

    public Task<IReadOnlyList<long>> LeaseDue(int max)
    {
        var now = time.GetUtcNow();
        var thisMinute = now.ToUnixTimeSeconds() / 60;
        var leased = new List<long>();
        foreach (var minute in stored.State.Pending)
        {
            if (minute > thisMinute || leased.Count >= max)
            {
                break;
            }

            if (!_leasedUntil.TryGetValue(minute, out var until) || until <= now)
            {
                _leasedUntil[minute] = now + Lease;
                leased.Add(minute);
            }
        }

        return Task.FromResult<IReadOnlyList<long>>(leased);
    }

    public Task Done(long minute)
    {
        _leasedUntil.Remove(minute);
        return stored.State.Pending.Remove(minute) ? ChangedAsync() : Task.CompletedTask;
    }
}

[GenerateSerializer]
[Alias("aq.alert.AlertClockState")]
public sealed class AlertClockState
{
    [Id(0)] public SortedSet<long> Pending { get; set; } = [];
}
