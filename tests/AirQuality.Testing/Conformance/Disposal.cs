namespace AirQuality.Testing.Conformance;

/// <summary>How the suites let an implementation go when its subclass says nothing else.</summary>
internal static class Disposal
{
    /// <summary>Disposes <paramref name="implementation"/> if it is disposable (asynchronously where it can be).</summary>
    public static async Task DisposeIfDisposableAsync(object implementation)
    {
        switch (implementation)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
