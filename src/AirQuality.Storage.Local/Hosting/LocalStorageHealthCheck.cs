using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AirQuality.Storage.Local.Hosting;

/// <summary>
/// Ready unless a SQLite store has met a damaged file (damage shows only where it is read, and never heals on its own)
/// or the reading archive cannot be written. One line per problem, naming the file or directory.
/// </summary>
internal sealed class LocalStorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "local-storage";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>(services.GetService<SqliteStoreHealth>()?.Problems ?? []);
        if (services.GetService<FileReadingArchive>()?.ReadinessProblem() is { } archive)
        {
            problems.Add(archive);
        }

        return Task.FromResult(problems.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join('\n', problems)));
    }
}

/// <summary>Registers <see cref="LocalStorageHealthCheck"/> once, whichever local stores an app adds.</summary>
internal static class LocalStorageHealthCheckRegistration
{
    public static IServiceCollection AddLocalStorageHealthCheck(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(LocalStorageHealthCheck)))
        {
            services.AddSingleton<LocalStorageHealthCheck>();
            services.AddHealthChecks().AddCheck<LocalStorageHealthCheck>(LocalStorageHealthCheck.Name, HealthStatus.Unhealthy, ["ready"]);
        }

        return services;
    }
}
