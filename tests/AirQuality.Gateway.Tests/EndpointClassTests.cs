using AirQuality.Gateway.Auth;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// Every endpoint both apps map, enumerated from their EndpointDataSource, carries the access class listed here:
/// an endpoint added without one, or missing from these lists, fails.
/// </summary>
public sealed class EndpointClassTests(EndpointAccessFixture fixture) : IClassFixture<EndpointAccessFixture>
{
    /// <summary>Every endpoint of the embedded host, by method and route, with the class it must have.</summary>
    private static readonly Dictionary<string, AccessClass> EmbeddedHost = new(StringComparer.Ordinal)
    {
        ["GET /healthz"] = AccessClass.Public,
        ["GET /readyz"] = AccessClass.Public,
        ["POST /api/v1/readings"] = AccessClass.Ingest,
        ["POST /v1/push-sensor-data/"] = AccessClass.Ingest,
        ["GET /api/v1/sensors"] = AccessClass.Read,
        ["GET /api/v1/sensors/{id}"] = AccessClass.Read,
        ["GET /api/v1/sensors/{id}/alerts"] = AccessClass.Read,
        ["GET /api/v1/sensors/{id}/history"] = AccessClass.Read,
        ["GET /api/v1/export.csv"] = AccessClass.Read,
        ["GET,POST /graphql/"] = AccessClass.Read,
        ["GET /graphql/ui"] = AccessClass.Public,
        ["GET /graphql/ui/{file}"] = AccessClass.Public,
    };

    /// <summary>The gateway host serves the embedded host's URLs, HTTP ingest and the REST reads included (issue 10).</summary>
    private static readonly Dictionary<string, AccessClass> StandaloneGateway = EmbeddedHost;

    [Fact]
    public void Every_endpoint_of_the_embedded_host_has_its_access_class() =>
        AssertClasses(fixture.Silo.Services, EmbeddedHost);

    [Fact]
    public void Every_endpoint_of_the_standalone_gateway_has_its_access_class() =>
        AssertClasses(fixture.Standalone.Services, StandaloneGateway);

    /// <summary>Every endpoint the app maps (from its EndpointDataSource) has exactly one class, the one listed for it; none is missing from the list.</summary>
    private static void AssertClasses(IServiceProvider services, Dictionary<string, AccessClass> expected)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var found = new Dictionary<string, AccessClass>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            IEnumerable<string> methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Order(StringComparer.Ordinal) ?? (IEnumerable<string>)["*"];
            var key = $"{string.Join(",", methods)} {endpoint.RoutePattern.RawText}";
            var classes = endpoint.Metadata.GetOrderedMetadata<EndpointAccessMetadata>();
            Assert.True(classes.Count == 1, $"{key} must carry exactly one access class (AllowPublicAccess, RequireReadAccess or AsIngestAccess), has {classes.Count}");
            found[key] = classes[0].Class;
        }

        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), found.OrderBy(e => e.Key, StringComparer.Ordinal));
    }
}
