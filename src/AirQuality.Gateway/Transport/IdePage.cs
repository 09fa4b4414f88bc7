using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace AirQuality.Gateway.Transport;

/// <summary>The GraphQL IDE page and its script, embedded in this assembly so nothing is loaded from a CDN.</summary>
internal static class IdePage
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Files = new(StringComparer.Ordinal)
    {
        [""] = ("AirQuality.Gateway.Ui.index.html", "text/html; charset=utf-8"),
        ["ide.js"] = ("AirQuality.Gateway.Ui.ide.js", "text/javascript; charset=utf-8"),
        ["ide.css"] = ("AirQuality.Gateway.Ui.ide.css", "text/css; charset=utf-8"),
    };

    public static async Task ServeAsync(HttpContext http, string file)
    {
        if (!Files.TryGetValue(file, out var entry) || Assembly.GetExecutingAssembly().GetManifestResourceStream(entry.Resource) is not { } content)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using (content)
        {
            http.Response.ContentType = entry.ContentType;
            http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            await content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }
}
