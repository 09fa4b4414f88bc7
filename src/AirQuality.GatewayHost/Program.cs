namespace AirQuality.GatewayHost;

/// <summary>
/// The GraphQL gateway on its own, as an Orleans client of a running cluster (by default the embedded host's
/// silo on this machine: start ./run.sh first). Same URLs as in the embedded host. A named class rather than
/// top-level statements, so tests can tell it from the embedded host's Program.
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(GatewayApp.DefaultUrl);
        }

        builder.AddStandaloneGateway();

        var app = builder.Build();
        app.MapStandaloneGateway();
        await app.RunAsync();
    }
}
