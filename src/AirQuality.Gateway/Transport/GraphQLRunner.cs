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

    private Task HideAsync(GraphQL.Execution.UnhandledExceptionContext context)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        GatewayLog.InternalError(logger, context.OriginalException, correlationId);
        context.Exception = GatewayErrors.Internal(correlationId);
        return Task.CompletedTask;
    }
}
