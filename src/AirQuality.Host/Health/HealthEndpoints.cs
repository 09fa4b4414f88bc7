using AirQuality.Contracts;

namespace AirQuality.Host.Health;

/// <summary>/healthz: the process answers. /readyz: the silo serves grain calls and storage answers.</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (IGrainFactory grains, IEnumerable<IReadinessCheck> checks, CancellationToken cancellationToken) =>
        {
            var problems = new List<string>();
            try
            {
                // A grain call that touches storage: activation reads state.
                await grains.GetGrain<ISensorGrain>("readiness-probe").GetView().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"silo: {e.GetType().Name}");
            }

            foreach (var check in checks)
            {
                if (await check.ProblemAsync(cancellationToken) is { } problem)
                {
                    problems.Add(problem);
                }
            }

            return problems.Count == 0
                ? Results.Text("ready")
                : Results.Json(new { ready = false, problems }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}

/// <summary>A dependency /readyz asks: null when fine, otherwise a short reason (no internals).</summary>
public interface IReadinessCheck
{
    Task<string?> ProblemAsync(CancellationToken cancellationToken);
}
