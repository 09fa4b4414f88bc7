using Orleans;

namespace AirQuality.Testing.Conformance;

/// <summary>
/// A grain state shaped like the ones the product keeps: properties, a private field, a dictionary, a list made by
/// a collection expression. The last two are what the silo's default JSON serializer cannot round-trip. Its Orleans
/// serializer is generated in this assembly, which a store's serializer must be given (<see cref="GrainStorageConformance.StateAssembly"/>).
/// </summary>
[GenerateSerializer]
public sealed class StoredState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public Dictionary<string, double> Values { get; set; } = [];
    [Id(2)] public IReadOnlyList<int> Hours { get; set; } = [];
    [Id(3)] private int _version;

    public int Version => _version;

    public void Bump() => _version++;

    public static StoredState Sample(string name, int entries = 3)
    {
        var state = new StoredState { Name = name, Hours = [1, 2, 3] };
        for (var i = 0; i < entries; i++)
        {
            state.Values[$"k{i}"] = i + 0.5;
        }

        state.Bump();
        state.Bump();
        return state;
    }

    public static void AssertSame(StoredState expected, StoredState actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Values, actual.Values);
        Assert.Equal(expected.Hours, actual.Hours);
        Assert.Equal(expected.Version, actual.Version);
    }
}
