using System.Net.WebSockets;
using GraphQL;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Transport.WebSockets;

/// <summary>Accepts WebSockets on the GraphQL path that speak graphql-transport-ws, one connection each.</summary>
public sealed class GraphQLWebSocketEndpoint(
    GraphQLRunner runner, IGraphQLTextSerializer serializer, IOptions<GatewayOptions> options, TimeProvider time, ILogger<GraphQLWebSocketEndpoint> logger)
{
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

        using var socket = await http.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var connection = new GraphQLWsConnection(socket, runner, serializer, options.Value, time, http.RequestServices, http.User, logger);
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
