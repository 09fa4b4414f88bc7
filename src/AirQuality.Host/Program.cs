using AirQuality.Host;

// The embedded local host: an Orleans silo and the HTTP endpoints in one process, with durable local
// storage under ./.airquality/ (AIRQ_DATA_DIR or DataDirectory to change). No Azure, no Docker.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls(HostSetup.DefaultUrl);
}

builder.AddAirQualityHost();

var app = builder.Build();
app.MapAirQualityEndpoints();
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
