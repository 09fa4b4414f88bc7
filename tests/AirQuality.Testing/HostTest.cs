namespace AirQuality.Testing;

/// <summary>
/// A test class with a host of its own and a client of it: the client is made before the first test, and both are
/// disposed after the last.
/// </summary>
public abstract class HostTest : IAsyncLifetime
{
    protected HostTest(HostFactory host) => Host = host;

    protected HostFactory Host { get; }

    protected HttpClient Client { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Client = Host.CreateClient();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        await Host.DisposeAsync();
    }
}
