using System.Text.Json;
using AirQuality.Gateway.Auth;
using AirQuality.Gateway.Schema;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Transport;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP spec): POST with a JSON body, GET with query parameters for
/// queries only. Answers application/graphql-response+json: 400 when the document cannot run (unparsable,
/// invalid), 200 when it ran (field errors included); application/json (always 200) for clients that do not name the GraphQL type.
/// Credentials are checked before anything is read or run: 401 (UNAUTHENTICATED, with WWW-Authenticate) and
/// 403 (FORBIDDEN) refuse the whole request, in either media type, as the HTTP status of a request that never ran.
/// </summary>
public sealed class GraphQLHttpEndpoint(
    GraphQLRunner runner,
    IGraphQLTextSerializer serializer,
    IOptions<GatewayOptions> options,
    GatewayAuthenticator authenticator,
    GatewayAccessPolicy access)
{
    public const string GraphQLResponseType = "application/graphql-response+json";
    private const string JsonType = "application/json";
    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var cancellationToken = http.RequestAborted;
        var (caller, refused) = await authenticator.AuthenticateAsync(http.Request.Headers, cancellationToken);
        if ((refused ?? access.Check(caller, operation: null)) is { } denial)
        {
            await WriteDeniedAsync(http, denial);
            return;
        }

        http.User = caller.Principal;
        GraphQLRequest? request;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!IsJson(http.Request.ContentType))
            {
                await WriteErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, "POST a JSON body with Content-Type: application/json");
                return;
            }

            var body = await HttpBodyReader.ReadLimitedAsync(http.Request, _options.MaxRequestBytes, cancellationToken);
            if (body is null)
            {
                await WriteErrorAsync(http, StatusCodes.Status413PayloadTooLarge, $"the request body is larger than {_options.MaxRequestBytes} bytes");
                return;
            }

            request = Read<GraphQLRequest>(body);
        }
        else
        {
            request = ReadQueryString(http.Request.Query);
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest,
                request is null ? "the request is not valid JSON of the shape {\"query\", \"variables\", \"operationName\"}" : "the request has no query");
            return;
        }

        var document = OperationPlan.TryParse(request.Query);
        var operation = document is null ? null : OperationPlan.Select(document, request.OperationName);
        if (operation is OperationType.Mutation && HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, "mutations must be sent with POST");
            return;
        }

        if (operation is OperationType.Subscription)
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "subscriptions need the WebSocket transport (subprotocol graphql-transport-ws)");
            return;
        }

        if (operation is not null && access.Check(caller, operation) is { } operationDenial)
        {
            await WriteDeniedAsync(http, operationDenial);
            return;
        }

        var result = await runner.RunAsync(request, document, http.RequestServices, caller.Principal, cancellationToken);
        await WriteAsync(http, result);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim() is var media
        && (media.Equals(JsonType, StringComparison.OrdinalIgnoreCase) || media.Equals(GraphQLResponseType, StringComparison.OrdinalIgnoreCase));

    private T? Read<T>(byte[] json)
        where T : class
    {
        try
        {
            return serializer.Deserialize<T>(System.Text.Encoding.UTF8.GetString(json));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private GraphQLRequest? ReadQueryString(IQueryCollection query)
    {
        var request = new GraphQLRequest { Query = query["query"].FirstOrDefault(), OperationName = query["operationName"].FirstOrDefault() };
        if (query["variables"].FirstOrDefault() is { Length: > 0 } variables)
        {
            try
            {
                request.Variables = serializer.Deserialize<Inputs>(variables);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return request;
    }

    /// <summary>
    /// Clients that do not name application/graphql-response+json (no Accept at all, */*, or application/json) get
    /// application/json with 200 for every document that was understood: the GraphQL-over-HTTP spec's SHOULD for
    /// legacy clients. A client that names the GraphQL type gets it, with its status codes.
    /// </summary>
    private static bool WantsPlainJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0
            || (!accept.Contains(GraphQLResponseType, StringComparison.OrdinalIgnoreCase)
                && (accept.Contains(JsonType, StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal)));
    }

    private async Task WriteAsync(HttpContext http, ExecutionResult result)
    {
        var plain = WantsPlainJson(http.Request);
        http.Response.StatusCode = result.Executed || plain ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        http.Response.ContentType = plain ? JsonType : GraphQLResponseType;
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private Task WriteErrorAsync(HttpContext http, int status, string message) => WriteErrorAsync(http, status, GatewayErrors.BadRequest(message));

    private Task WriteErrorAsync(HttpContext http, int status, ExecutionError error)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = WantsPlainJson(http.Request) ? JsonType : GraphQLResponseType;
        return serializer.WriteAsync(http.Response.Body, new ExecutionResult(error), http.RequestAborted);
    }

    private Task WriteDeniedAsync(HttpContext http, AccessDenial denial)
    {
        if (denial.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = access.Challenges(denial).ToArray();
        }

        return WriteErrorAsync(http, denial.Status, denial.Error);
    }
}
