namespace AirQuality.Storage.Local;

/// <summary>
/// An asynchronous initialisation run once and shared by every caller; after a failure (or cancellation)
/// the next caller tries again. Each caller stops waiting on its own token; the shared run is not tied to it.
/// </summary>
internal sealed class OnceInitialization(Func<Task> initialize)
{
    private readonly Lock _gate = new();
    private Task? _running;
    private volatile bool _done;

    public bool IsDone => _done;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (_running is null || _running.IsFaulted || _running.IsCanceled)
            {
                _running = RunAsync();
            }

            return _running.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync()
    {
        await initialize().ConfigureAwait(false);
        _done = true;
    }
}
