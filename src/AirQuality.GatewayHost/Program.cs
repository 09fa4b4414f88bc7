namespace AirQuality.GatewayHost;

/// <summary>
/// The gateway host: GraphQL, dashboard, CSV export, REST reads and HTTP ingest, as an Orleans client of a running
/// cluster (by default a silo on this machine: `dotnet run --project src/AirQuality.Silo`, or the embedded host).
/// Same URLs as the embedded host. A named class rather than top-level statements, so tests can tell it from the
/// embedded host's Program.
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
