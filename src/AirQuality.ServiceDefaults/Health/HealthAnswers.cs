using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AirQuality.ServiceDefaults.Health;

/// <summary>The body of /readyz: "ready", or the failing checks' reasons as JSON.</summary>
internal static class HealthAnswers
{
    public static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.WriteAsync("ready");
        }

        // A check may report several problems (one per damaged store) as lines of its description.
        var problems = report.Entries.Values
            .Where(e => e.Status != HealthStatus.Healthy)
            .SelectMany(e => (e.Description ?? e.Exception?.GetType().Name ?? "unhealthy").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        return context.Response.WriteAsJsonAsync(new { ready = false, problems }, context.RequestAborted);
    }
}
