using Orleans;
using Orleans.Runtime;

namespace AirQuality.Storage.Local.Tests;

/// <summary>
/// A state shaped like the ones the product keeps: properties, a private field, a dictionary, a list made by a
/// collection expression. The last two are what the silo's default JSON serializer cannot round-trip.
/// </summary>
[GenerateSerializer]
public sealed class SensorState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public Dictionary<string, double> Values { get; set; } = [];
    [Id(2)] public IReadOnlyList<int> Hours { get; set; } = [];
    [Id(3)] private int _version;

    public int Version => _version;

    public void Bump() => _version++;

    public static SensorState Sample(string name, int entries = 3)
    {
        var state = new SensorState { Name = name, Hours = [1, 2, 3] };
        for (var i = 0; i < entries; i++)
        {
            state.Values[$"k{i}"] = i + 0.5;
        }

        state.Bump();
        state.Bump();
        return state;
    }

    public static void AssertSame(SensorState expected, SensorState actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Hours, actual.Hours);
        Assert.Equal(expected.Version, actual.Version);
    }
}

public interface IStateGrain : IGrainWithStringKey
{
    Task<SensorState> Load();

    Task Store(SensorState value);

    Task Clear();

    Task<bool> RecordExists();

    Task<Guid> Activation();
}

public interface IDefaultStateGrain : IGrainWithStringKey
{
    Task Store(SensorState value);
}

public sealed class StateGrain([PersistentState("state", "sqlite")] IPersistentState<SensorState> state) : Grain, IStateGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task<SensorState> Load() => Task.FromResult(state.State);

    public Task Store(SensorState value)
    {
        state.State = value;
        return state.WriteStateAsync();
    }

    public Task Clear() => state.ClearStateAsync();

    public Task<bool> RecordExists() => Task.FromResult(state.RecordExists);

    public Task<Guid> Activation() => Task.FromResult(_activation);
}

public sealed class DefaultStateGrain([PersistentState("state")] IPersistentState<SensorState> state) : Grain, IDefaultStateGrain
{
    public Task Store(SensorState value)
    {
        state.State = value;
        return state.WriteStateAsync();
    }
}
