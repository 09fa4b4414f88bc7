using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using AirQuality.Gateway.Auth;
using GraphQL;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>
/// Accepts WebSockets on the GraphQL path that speak graphql-transport-ws, one connection each. Credentials in
/// the upgrade request's headers are checked before the upgrade (401 when wrong); browsers, which cannot set
/// headers on a WebSocket, send them in connection_init instead (see <see cref="GraphQLWsConnection"/>).
/// </summary>
public sealed class GraphQLWebSocketEndpoint(
    GraphQLRunner runner,
    IGraphQLTextSerializer serializer,
    IOptions<GatewayOptions> options,
    GatewayAuthenticator authenticator,
    GatewayAccessPolicy access,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<GraphQLWebSocketEndpoint> logger)
{
    private readonly WebSocketMetrics _metrics = new(meters);

    public const string SubProtocol = "graphql-transport-ws";

    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync($"use the WebSocket subprotocol {SubProtocol}", http.RequestAborted);
            return;
        }

        var (caller, refused) = await authenticator.AuthenticateAsync(http.Request.Headers, http.RequestAborted);
        if (refused is not null)
        {
            http.Response.StatusCode = refused.Status;
            http.Response.Headers.WWWAuthenticate = access.Challenges(refused).ToArray();
            http.Response.ContentType = GraphQLHttpEndpoint.GraphQLResponseType;
            await serializer.WriteAsync(http.Response.Body, new ExecutionResult(refused.Error), http.RequestAborted);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var client = new ConnectionClient(
            new ConnectionAuth(authenticator, access, caller), http.RequestServices.GetRequiredService<ClientBudget>(), http.Connection.RemoteIpAddress);
        var connection = new GraphQLWsConnection(socket, runner, serializer, options.Value, time, http.RequestServices, client, _metrics, logger);
        try
        {
            await connection.RunAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            GatewayLog.SocketLost(logger, e);
        }
    }
}

/// <summary>What a connection needs for auth: the checks, and the caller its upgrade request's headers named.</summary>
internal sealed record ConnectionAuth(GatewayAuthenticator Authenticator, GatewayAccessPolicy Access, GatewayCaller FromHeaders);

/// <summary>Who is at the other end: for auth, and for the rate-limit budget its operations draw on (by key, else by address).</summary>
internal sealed record ConnectionClient(ConnectionAuth Auth, ClientBudget Budget, IPAddress? Address);
