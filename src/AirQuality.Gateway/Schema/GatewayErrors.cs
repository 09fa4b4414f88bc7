using GraphQL;

namespace AirQuality.Gateway.Schema;

/// <summary>
/// The errors the gateway shows to clients. Only messages written here reach a client; every other
/// exception becomes "internal error" with a correlation id (see <see cref="Transport.GraphQLRunner"/>).
/// </summary>
public static class GatewayErrors
{
    public static ExecutionError BadRequest(string message) => new(message) { Code = "BAD_USER_INPUT" };

    public static ExecutionError NotFound(string message) => new(message) { Code = "NOT_FOUND" };

    public static ExecutionError NotAvailableYet(string what) => new($"{what}: not available yet") { Code = "NOT_IMPLEMENTED" };

    public static ExecutionError PageTooLarge(int first, int max) =>
        new($"first must be between 1 and {max} (got {first})") { Code = "PAGE_SIZE_EXCEEDED" };

    public static ExecutionError Timeout(TimeSpan limit) =>
        new($"the request ran longer than the limit of {limit.TotalSeconds:0.###} s and was stopped") { Code = "TIMEOUT" };

    public static ExecutionError Internal(string correlationId) =>
        new($"internal error (correlation id {correlationId})") { Code = "INTERNAL_ERROR" };
}
