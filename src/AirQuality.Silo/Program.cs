using AirQuality.ServiceDefaults;

namespace AirQuality.Silo;

/// <summary>
/// A silo on its own: with no settings, a one-silo development cluster on 127.0.0.1 (silo port 11111, gateway port
/// 30000) with SQLite state under ./.airquality/, which the gateway host (src/AirQuality.GatewayHost) joins as a
/// client. A named class rather than top-level statements, so the embedded host's Program stays the only global one.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(SiloSetup.DefaultUrl);
        }

        builder.AddServiceDefaults();
        builder.AddAirQualitySilo();

        await using var app = builder.Build();
        app.MapHealthEndpoints();
        await app.RunAsync();
    }
}
