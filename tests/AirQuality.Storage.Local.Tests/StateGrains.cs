using AirQuality.Testing.Conformance;
using Orleans;
using Orleans.Runtime;

namespace AirQuality.Storage.Local.Tests;

public interface IStateGrain : IGrainWithStringKey
{
    Task<StoredState> Load();

    Task Store(StoredState value);

    Task Clear();

    Task<bool> RecordExists();

    Task<Guid> Activation();
}

public interface IDefaultStateGrain : IGrainWithStringKey
{
    Task Store(StoredState value);
}

public sealed class StateGrain([PersistentState("state", "sqlite")] IPersistentState<StoredState> state) : Grain, IStateGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task<StoredState> Load() => Task.FromResult(state.State);

    public Task Store(StoredState value)
    {
        state.State = value;
        return state.WriteStateAsync();
    }

    public Task Clear() => state.ClearStateAsync();

    public Task<bool> RecordExists() => Task.FromResult(state.RecordExists);

    public Task<Guid> Activation() => Task.FromResult(_activation);
}

public sealed class DefaultStateGrain([PersistentState("state")] IPersistentState<StoredState> state) : Grain, IDefaultStateGrain
{
    public Task Store(StoredState value)
    {
        state.State = value;
        return state.WriteStateAsync();
    }
}
