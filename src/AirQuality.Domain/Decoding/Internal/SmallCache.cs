namespace AirQuality.Domain.Decoding.Internal;

/// <summary>
/// Remembers what a handful of byte keys (quantity names, value types, sensor types) decoded to within
/// one Decode call. A batch repeats the same few names in every record, so a linear scan over at most
/// <see cref="Capacity"/> short keys is cheaper than decoding the name again or hashing it.
/// </summary>
internal sealed class SmallCache<T>
{
    private const int Capacity = 16;
    private const int MaxKeyLength = 64;

    private readonly byte[][] _keys = new byte[Capacity][];
    private readonly T[] _values = new T[Capacity];
    private int _count;

    public bool TryGet(ReadOnlySpan<byte> key, out T value)
    {
        for (var i = 0; i < _count; i++)
        {
            if (key.SequenceEqual(_keys[i]))
            {
                value = _values[i];
                return true;
            }
        }

        value = default!;
        return false;
    }

    public void Add(ReadOnlySpan<byte> key, T value)
    {
        // Beyond the capacity (or for long keys) callers just decode again; the cache only saves time.
        if (_count < Capacity && key.Length <= MaxKeyLength)
        {
            _keys[_count] = key.ToArray();
            _values[_count] = value;
            _count++;
        }
    }
}
