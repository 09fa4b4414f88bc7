using System.Security.Claims;
using AirQuality.Gateway.Schema;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Transport;

/// <summary>
/// Runs one GraphQL request for either transport: applies the execution timeout (not to subscription
/// streams, which live until their client ends them) and hides internal exceptions behind a correlation id.
/// </summary>
public sealed class GraphQLRunner(IDocumentExecuter<ISchema> executer, IOptions<GatewayOptions> options, TimeProvider time, ILogger<GraphQLRunner> logger)
{
    private readonly GatewayOptions _options = options.Value;

    public async Task<ExecutionResult> RunAsync(
        GraphQLRequest request, GraphQLDocument? document, IServiceProvider services, ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Refused here, for both transports, before the engine's validators (which recurse) ever see the document.
        ExecutionError? refusal = null;
        document ??= OperationPlan.Parse(request.Query ?? "", out refusal);
        refusal ??= OperationPlan.Problem(document!, _options.MaxComplexity);
        if (refusal is not null)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var fingerprint = Fingerprint(request.Query);
                GatewayLog.DocumentRefused(logger, refusal.Code, request.Query?.Length ?? 0, fingerprint);
            }

            return new ExecutionResult(refusal);
        }

        using var timeout = new CancellationTokenSource(_options.ExecutionTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await executer.ExecuteAsync(o =>
            {
                o.Query = request.Query;
                o.Document = document;
                o.OperationName = request.OperationName;
                o.Variables = request.Variables;
                o.Extensions = request.Extensions;
                o.RequestServices = services;
                o.User = user;
                o.CancellationToken = linked.Token;
                o.UnhandledExceptionDelegate = HideAsync;
            });
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            GatewayLog.TimedOut(logger, _options.ExecutionTimeout);
            return new ExecutionResult(GatewayErrors.Timeout(_options.ExecutionTimeout)) { Executed = true };
        }
    }

    /// <summary>A short hash naming a document in logs, which never hold the client's document itself.</summary>
    internal static string Fingerprint(string? query) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query ?? "")), 0, 8);

    private Task HideAsync(GraphQL.Execution.UnhandledExceptionContext context)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        GatewayLog.InternalError(logger, context.OriginalException, correlationId);
        context.Exception = GatewayErrors.Internal(correlationId);
        return Task.CompletedTask;
    }
}
