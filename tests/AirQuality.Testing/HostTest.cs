namespace AirQuality.Testing;

/// <summary>
/// A test class with a host of its own and a client of it: the client is made before the first test, and both are
/// disposed after the last. On a real loopback socket if asked (<see cref="HostFactory.StartOnLoopback"/>), for
/// clients outside this process; in memory otherwise.
/// </summary>
public abstract class HostTest : IAsyncLifetime
{
    private readonly bool _onLoopback;

    protected HostTest(HostFactory host, bool onLoopback = false)
    {
        Host = host;
        _onLoopback = onLoopback;
    }

    protected HostFactory Host { get; }

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Where the host listens on loopback, e.g. http://127.0.0.1:41234 (no trailing slash); empty in memory.</summary>
    protected string Address { get; private set; } = "";

    public virtual Task InitializeAsync()
    {
        if (_onLoopback)
        {
            var url = Host.StartOnLoopback();
            Address = url.GetLeftPart(UriPartial.Authority);
            Client = new HttpClient { BaseAddress = url };
        }
        else
        {
            Client = Host.CreateClient();
        }

        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        await Host.DisposeAsync();
    }
}
