using AirQuality.Contracts;

namespace AirQuality.Grains.Live;

/// <summary>
/// The observers watching one grain, each held until its lease runs out (<see cref="LiveFeed.Lease"/>).
/// Messages to them are one-way: a watcher that is slow or gone costs a message, never the grain's time.
/// A grain keeps this only while something watches it, so an unwatched sensor pays one null field.
/// </summary>
internal sealed class LiveWatchers
{
    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Adds the observer or renews its lease.</summary>
    public void Watch(ILiveFeedObserver observer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var expires = (now + LiveFeed.Lease).UtcTicks;
        var at = IndexOf(observer);
        if (at >= 0)
        {
            _entries[at] = new Entry(observer, expires);
        }
        else
        {
            _entries.Add(new Entry(observer, expires));
        }
    }

    public void Send(SensorView view, DateTimeOffset now)
    {
        DropExpired(now);
        foreach (var entry in _entries)
        {
            // One-way: the returned task is already complete; a watcher that is gone drops the message.
            _ = entry.Observer.SensorChanged(view);
        }
    }

    public void Send(AlertEvent alertEvent, DateTimeOffset now)
    {
        DropExpired(now);
        foreach (var entry in _entries)
        {
            _ = entry.Observer.AlertChanged(alertEvent);
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        _entries.RemoveAll(e => e.ExpiresAt <= ticks);
    }

    private int IndexOf(ILiveFeedObserver observer) => _entries.FindIndex(e => e.Observer.Equals(observer));

    private readonly record struct Entry(ILiveFeedObserver Observer, long ExpiresAt);
}
