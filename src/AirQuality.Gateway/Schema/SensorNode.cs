using AirQuality.Contracts;
using AirQuality.Contracts.Index;

namespace AirQuality.Gateway.Schema;

/// <summary>
/// A Sensor in a result. From a list it starts as the index's summary, and the sensor grain is asked for its
/// full view only when a field needs more than the summary holds (once per node, and for a whole page at once:
/// see <see cref="SensorPageViews"/>).
/// </summary>
public sealed class SensorNode
{
    private readonly IGrainFactory _grains;
    private readonly SensorPageViews? _page;
    private readonly int _position;
    private Task<SensorView>? _view;

    public SensorNode(IGrainFactory grains, SensorView view)
    {
        _grains = grains;
        Id = view.Id;
        _view = Task.FromResult(view);
    }

    public SensorNode(IGrainFactory grains, SensorSummary summary)
    {
        _grains = grains;
        Id = summary.Id;
        Summary = summary;
    }

    /// <summary>The node at <paramref name="position"/> of a page: its full view comes from the page's one fan-out.</summary>
    public SensorNode(SensorPageViews page, int position)
    {
        ArgumentNullException.ThrowIfNull(page);
        _grains = page.Grains;
        _page = page;
        _position = position;
        Summary = page.Summaries[position];
        Id = Summary.Id;
    }

    public string Id { get; }

    public IGrainFactory Grains => _grains;

    public SensorSummary? Summary { get; }

    public Task<SensorView> ViewAsync() => _view ??= _page?.ViewOf(_position) ?? _grains.GetGrain<ISensorGrain>(Id).GetView();
}

/// <summary>
/// The full views of one page of sensors from the index. The first node that needs its view asks every sensor
/// of the page at once: the page's grain calls are started together, once, rather than node by node as the
/// executor reaches each field (with a remote silo, one burst of requests instead of a trickle). A page
/// whose fields the summaries answer makes no call at all. A failed call fails only its own node's fields.
/// </summary>
public sealed class SensorPageViews(IGrainFactory grains, IReadOnlyList<SensorSummary> summaries)
{
    private readonly Lock _gate = new();
    private Task<SensorView>[]? _views;

    public IGrainFactory Grains { get; } = grains;

    public IReadOnlyList<SensorSummary> Summaries { get; } = summaries;

    /// <summary>The view of the sensor at <paramref name="position"/>; the first call starts the calls for the whole page.</summary>
    public Task<SensorView> ViewOf(int position) => Start()[position];

    private Task<SensorView>[] Start()
    {
        if (Volatile.Read(ref _views) is { } started)
        {
            return started;
        }

        lock (_gate)
        {
            if (_views is null)
            {
                var views = new Task<SensorView>[Summaries.Count];
                for (var i = 0; i < views.Length; i++)
                {
                    views[i] = Grains.GetGrain<ISensorGrain>(Summaries[i].Id).GetView();
                }

                Volatile.Write(ref _views, views);
            }

            return _views;
        }
    }
}
