using AirQuality.Contracts;
using AirQuality.Contracts.Index;

namespace AirQuality.Gateway.Schema;

/// <summary>
/// A Sensor in a result. From a list it starts as the index's summary, and the sensor grain is asked for its
/// full view only when a field needs more than the summary holds (once per node).
/// </summary>
public sealed class SensorNode
{
    private readonly IGrainFactory _grains;
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

    public string Id { get; }

    public IGrainFactory Grains => _grains;

    public SensorSummary? Summary { get; }

    public Task<SensorView> ViewAsync() => _view ??= _grains.GetGrain<ISensorGrain>(Id).GetView();
}
