using AirQuality.Contracts;
using AirQuality.Storage.Local;

namespace AirQuality.Host.Health;

/// <summary>
/// Requests that fail on unusable storage answer 503 naming the store. (Health and readiness are the health checks'
/// of AirQuality.ServiceDefaults, with the storage providers' own checks.)
/// </summary>
public static class StorageFailureAnswers
{
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
