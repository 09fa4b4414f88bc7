using AirQuality.Contracts;
using AirQuality.Storage.Local;

namespace AirQuality.Host.Health;

/// <summary>
/// /healthz: the process answers. /readyz: the silo serves grain calls, no SQLite store has met a damaged file,
/// and the archive can be written.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (IGrainFactory grains, IEnumerable<IReadinessCheck> checks, IServiceProvider services, CancellationToken cancellationToken) =>
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

            // The probe above reads one row; damage elsewhere in a file shows only where it is met, and the
            // stores report it here (it never heals on its own).
            problems.AddRange(services.GetService<SqliteStoreHealth>()?.Problems ?? []);
            if (services.GetService<FileReadingArchive>()?.ReadinessProblem() is { } archive)
            {
                problems.Add(archive);
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

    /// <summary>
    /// A request that fails because a store is unusable (a damaged SQLite file, an archive that cannot be
    /// written) answers 503 with a JSON error naming the store, instead of an empty 500: the client learns it is
    /// the server's storage, not its request. Other failures pass on untouched.
    /// </summary>
    public static IApplicationBuilder UseStorageFailureAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && StorageFailure(e, context.RequestServices) is { } error)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { error }, context.RequestAborted);
        }
    });

    /// <summary>What to tell the client when <paramref name="failure"/> comes from unusable storage; otherwise null.</summary>
    private static string? StorageFailure(Exception failure, IServiceProvider services)
    {
        for (var e = (Exception?)failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteStoreDamagedException damaged:
                    return $"storage '{damaged.StoreName}' cannot be read: {Path.GetFileName(damaged.DatabasePath)} is damaged; the host is not ready until an operator replaces it";
                case ReadingArchiveUnavailableException:
                    return "the reading archive cannot be written, so these readings cannot be acknowledged as durable; send them again later";
            }
        }

        // A grain call's failure may reach here as another exception type (Orleans carries exceptions across
        // the call); a store already known to be damaged explains it as well.
        return services.GetService<SqliteStoreHealth>()?.Problems is [var first, ..] ? first : null;
    }
}

/// <summary>A dependency /readyz asks: null when fine, otherwise a short reason (no internals).</summary>
public interface IReadinessCheck
{
    Task<string?> ProblemAsync(CancellationToken cancellationToken);
}
