using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace AirQuality.Gateway.Web;

/// <summary>
/// Serves the dashboard (built by scripts/build-dashboard.sh into the gateway's wwwroot and copied next to
/// the app as "dashboard/") at "/": index.html and config.json never cached, the hashed assets cached for good.
/// </summary>
public static class DashboardFiles
{
    public const string Folder = "dashboard";

    public static IApplicationBuilder UseAirQualityDashboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var directory = Path.Combine(AppContext.BaseDirectory, Folder);
        if (!File.Exists(Path.Combine(directory, "index.html")))
        {
            // A build without Node.js: say what is missing rather than answer a bare 404.
            return app.Use(async (context, next) =>
            {
                if (context.Request.Path == "/" && HttpMethods.IsGet(context.Request.Method))
                {
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("The dashboard is not built: run scripts/build-dashboard.sh (needs Node.js 20), then rebuild. GraphQL is at /graphql, its IDE at /graphql/ui.", context.RequestAborted);
                    return;
                }

                await next(context);
            });
        }

        var files = new PhysicalFileProvider(directory);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                // index.html and config.json (which a deployment replaces) keep their names; the rest carry a content hash.
                context.Context.Response.Headers[HeaderNames.CacheControl] = context.File.Name is "index.html" or "config.json"
                    ? "no-cache"
                    : "public, max-age=31536000, immutable";
            },
        });
    }
}
