using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AirQuality.Gateway.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AirQuality.Gateway.Tests;

/// <summary>
/// Signs Entra-shaped access tokens with an RSA key made at run time and hands the gateway that key as the
/// authority's metadata would (no network: in production JwtBearer fetches it from the authority).
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string TenantId = "0b6f3c2e-7d1a-4f5e-9c8b-2a4d6e8f0a1c";
    public const string Audience = "api://airquality-test";
    public const string Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _otherRsa = RSA.Create(2048);

    public TokenIssuer()
    {
        Key = new RsaSecurityKey(_rsa) { KeyId = "test-key" };

        // The same key id with another key: what a forged signature looks like.
        OtherKey = new RsaSecurityKey(_otherRsa) { KeyId = "test-key" };
    }

    public RsaSecurityKey Key { get; }

    public RsaSecurityKey OtherKey { get; }

    /// <summary>Settings for Gateway:Auth:Jwt as an Entra ID tenant would have them.</summary>
    public static void AddSettings(IDictionary<string, string> settings)
    {
        settings["Gateway:Auth:Jwt:TenantId"] = TenantId;
        settings["Gateway:Auth:Jwt:Audience"] = Audience;
    }

    /// <summary>The test's stand-in for the authority's metadata document: its issuer and signing key.</summary>
    public void AddServices(IServiceCollection services) =>
        services.Configure<JwtBearerOptions>(GatewayAuthenticator.JwtScheme, o =>
        {
            o.Configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            o.Configuration.SigningKeys.Add(Key);
        });

    public string Token(
        string[]? roles = null, string audience = Audience, string issuer = Issuer, DateTime? expires = null, RsaSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["oid"] = Guid.NewGuid().ToString(), ["azp"] = "test-client" };
        if (roles is { Length: > 0 })
        {
            claims["roles"] = roles;
        }

        var expiry = expires ?? now.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry < now ? expiry.AddHours(-1) : now,
            NotBefore = expiry < now ? expiry.AddHours(-1) : now,
            Expires = expiry,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _otherRsa.Dispose();
    }
}

/// <summary>A clock that follows real time until a test moves it (for token expiry on a long-lived socket).</summary>
public sealed class ManualTime : TimeProvider
{
    private DateTimeOffset? _now;

    public override DateTimeOffset GetUtcNow() => _now ?? base.GetUtcNow();

    public void Set(DateTimeOffset? now) => _now = now;
}

/// <summary>
/// Reads anonymous (the default), mutations by role: keys "reader" (no roles) and "operator"
/// (AirQuality.Operator), tokens from <see cref="TokenIssuer"/>, and a pm2.5 rule that raises alerts to acknowledge.
/// </summary>
public sealed class AuthFixture : IAsyncLifetime, IDisposable
{
    public AuthFixture()
    {
        var settings = new Dictionary<string, string>(HostSettings.Pm25HighRule(severity: null))
        {
            ["Gateway:Auth:ApiKeys:0:Name"] = "reader",
            ["Gateway:Auth:ApiKeys:0:Sha256"] = ApiKeys.Sha256Of(ReaderKey),
            ["Gateway:Auth:ApiKeys:1:Name"] = "operator",
            ["Gateway:Auth:ApiKeys:1:Sha256"] = ApiKeys.Sha256Of(OperatorKey).ToLowerInvariant(),
            ["Gateway:Auth:ApiKeys:1:Roles:0"] = "Sensors.Read",
            ["Gateway:Auth:ApiKeys:1:Roles:1"] = "AirQuality.Operator",
        };
        TokenIssuer.AddSettings(settings);
        Host = new HostFactory(settings, services =>
        {
            Tokens.AddServices(services);
            services.AddSingleton(sp => new GatewayAccessPolicy(
                sp.GetRequiredService<IOptions<GatewayOptions>>(), Clock, sp.GetRequiredService<ILogger<GatewayAccessPolicy>>()));
        });
    }

    public string ReaderKey { get; } = ApiKeys.New();

    public string OperatorKey { get; } = ApiKeys.New();

    public TokenIssuer Tokens { get; } = new();

    public ManualTime Clock { get; } = new();

    public HostFactory Host { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public void Dispose() => Tokens.Dispose();
}

public sealed class AuthTests(AuthFixture fixture) : IClassFixture<AuthFixture>
{
    private const string Read = "{ aqiScale(standard: EU_EAQI_2024) { low } }";
    private const string Register = "mutation($id: ID!) { registerSensor(input: {id: $id, name: \"Roof\", latitude: 48.2, longitude: 16.37}) { id name } }";
    private const string SensorName = "query($id: ID!) { sensor(id: $id) { name } }";

    [Fact]
    public async Task Reads_are_anonymous_by_default()
    {
        var (status, body, _) = await SendAsync(Read);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.TryGetProperty("errors", out _));
        Assert.True(body.GetProperty("data").GetProperty("aqiScale").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_mutation_without_credentials_is_401_UNAUTHENTICATED_with_a_challenge_and_runs_nothing()
    {
        var id = NewSensorId();
        var (status, body, response) = await SendAsync(Register, new { id });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", Code(body));
        Assert.Contains("AirQuality.Operator", Message(body), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains(response.WwwAuthenticate, c => c.Scheme == "Bearer");
        Assert.Contains(response.WwwAuthenticate, c => c.Scheme == "ApiKey");
        AssertNoInternals(body);
        await AssertNotRegisteredAsync(id);

        // The same for a client that asks for plain application/json.
        var (plainStatus, plainBody, _) = await SendAsync(Register, new { id }, accept: "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, plainStatus);
        Assert.Equal("UNAUTHENTICATED", Code(plainBody));
    }

    [Fact]
    public async Task A_wrong_api_key_is_401_for_reads_and_mutations_alike()
    {
        foreach (var (query, variables) in new (string, object?)[] { (Read, null), (Register, new { id = NewSensorId() }) })
        {
            var (status, body, _) = await SendAsync(query, variables, apiKey: ApiKeys.New());
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("UNAUTHENTICATED", Code(body));
            Assert.Equal("invalid API key", Message(body));
            AssertNoInternals(body);
        }

        var (longStatus, longBody, _) = await SendAsync(Read, apiKey: new string('k', 100_000));
        Assert.Equal(HttpStatusCode.Unauthorized, longStatus);
        Assert.Equal("invalid API key", Message(longBody));
    }

    [Fact]
    public async Task A_key_without_the_role_reads_but_a_mutation_is_403_FORBIDDEN()
    {
        var (readStatus, _, _) = await SendAsync(Read, apiKey: fixture.ReaderKey);
        Assert.Equal(HttpStatusCode.OK, readStatus);

        var id = NewSensorId();
        var (status, body, _) = await SendAsync(Register, new { id }, apiKey: fixture.ReaderKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", Code(body));
        Assert.Equal("this operation needs the role 'AirQuality.Operator'", Message(body));
        AssertNoInternals(body);
        await AssertNotRegisteredAsync(id);
    }

    [Fact]
    public async Task A_key_with_the_role_registers_a_sensor_and_acknowledges_an_alert()
    {
        var id = NewSensorId();
        var (status, body, _) = await SendAsync(Register, new { id }, apiKey: fixture.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Roof", body.GetProperty("data").GetProperty("registerSensor").GetProperty("name").GetString());

        var alertId = await RaiseAlertAsync();
        var (ackStatus, ack, _) = await SendAsync(
            "mutation($id: ID!) { acknowledgeAlert(id: $id, note: \"on it\") { state } }", new { id = alertId }, apiKey: fixture.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, ackStatus);
        Assert.Equal("ACKNOWLEDGED", ack.GetProperty("data").GetProperty("acknowledgeAlert").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_token_with_the_role_mutates_and_one_without_reads_but_is_forbidden()
    {
        var id = NewSensorId();
        var (status, body, _) = await SendAsync(Register, new { id }, bearer: fixture.Tokens.Token(["Sensors.Read", "AirQuality.Operator"]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, body.GetProperty("data").GetProperty("registerSensor").GetProperty("id").GetString());

        var plain = fixture.Tokens.Token();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Read, bearer: plain)).Status);
        var other = NewSensorId();
        var (forbidden, forbiddenBody, _) = await SendAsync(Register, new { id = other }, bearer: plain);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("FORBIDDEN", Code(forbiddenBody));
        await AssertNotRegisteredAsync(other);
    }

    [Fact]
    public async Task Expired_forged_misaddressed_and_garbage_tokens_are_401_invalid_token_and_nothing_more()
    {
        var operatorRoles = new[] { "AirQuality.Operator" };
        var bad = new Dictionary<string, string>
        {
            ["expired"] = "Bearer " + fixture.Tokens.Token(operatorRoles, expires: DateTime.UtcNow.AddHours(-1)),
            ["wrong audience"] = "Bearer " + fixture.Tokens.Token(operatorRoles, audience: "api://another-api"),
            ["wrong issuer"] = "Bearer " + fixture.Tokens.Token(operatorRoles, issuer: "https://login.microsoftonline.com/another-tenant/v2.0"),
            ["wrong signature"] = "Bearer " + fixture.Tokens.Token(operatorRoles, key: fixture.Tokens.OtherKey),
            ["unsigned"] = "Bearer " + new JsonWebTokenHandler().CreateToken(
                JsonSerializer.Serialize(new { iss = TokenIssuer.Issuer, aud = TokenIssuer.Audience, roles = operatorRoles, exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() })),
            ["garbage"] = "Bearer not-a-token",
            ["huge"] = "Bearer " + new string('a', 200_000),
            ["empty"] = "Bearer ",
        };

        foreach (var (what, authorization) in bad)
        {
            foreach (var (query, variables) in new (string, object?)[] { (Read, null), (Register, new { id = NewSensorId() }) })
            {
                var (status, body, response) = await SendAsync(query, variables, authorization: authorization);
                Assert.True(status == HttpStatusCode.Unauthorized, $"{what}: {status}");
                Assert.Equal("UNAUTHENTICATED", Code(body));
                Assert.True(Message(body) == "invalid token", $"{what}: {Message(body)}");
                Assert.Contains(response.WwwAuthenticate, c => c.Scheme == "Bearer" && c.Parameter == "error=\"invalid_token\"");
                AssertNoInternals(body);
            }
        }
    }

    [Fact]
    public async Task Other_authorization_schemes_and_two_credentials_at_once_are_401()
    {
        var (basic, basicBody, _) = await SendAsync(Read, authorization: "Basic dXNlcjpwYXNz");
        Assert.Equal(HttpStatusCode.Unauthorized, basic);
        Assert.Equal("UNAUTHENTICATED", Code(basicBody));

        var (both, bothBody, _) = await SendAsync(Read, apiKey: fixture.OperatorKey, bearer: fixture.Tokens.Token(["AirQuality.Operator"]));
        Assert.Equal(HttpStatusCode.Unauthorized, both);
        Assert.Contains("not both", Message(bothBody), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_takes_credentials_from_connection_init_and_a_wrong_key_closes_it_with_4403()
    {
        await using (var client = await WsClient.ConnectAsync(fixture.Host))
        {
            await client.SendAsync(new { type = "connection_init", payload = new { apiKey = fixture.OperatorKey } });
            Assert.Equal("connection_ack", (await client.ReceiveAsync()).GetProperty("type").GetString());
            var id = NewSensorId();
            await client.SubscribeAsync("m", Register, new { id });
            var next = await client.ReceiveAsync();
            Assert.Equal("next", next.GetProperty("type").GetString());
            Assert.Equal(id, next.GetProperty("payload").GetProperty("data").GetProperty("registerSensor").GetProperty("id").GetString());
        }

        await using (var client = await WsClient.ConnectAsync(fixture.Host))
        {
            await client.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer " + fixture.Tokens.Token(["AirQuality.Operator"]) } });
            Assert.Equal("connection_ack", (await client.ReceiveAsync()).GetProperty("type").GetString());
        }

        var refused = new object[]
        {
            new { apiKey = ApiKeys.New() },
            new { authorization = "Bearer " + fixture.Tokens.Token(["AirQuality.Operator"], expires: DateTime.UtcNow.AddHours(-1)) },
            new { authorization = "Bearer garbage" },
            new { apiKey = 42 },
        };
        foreach (var payload in refused)
        {
            await using var client = await WsClient.ConnectAsync(fixture.Host);
            await client.SendAsync(new { type = "connection_init", payload });
            Assert.Equal(4403, await client.ClosedWithAsync());
        }
    }

    [Fact]
    public async Task Over_a_websocket_a_mutation_needs_the_role_and_is_refused_for_that_operation_alone()
    {
        await using var anonymous = await WsClient.ConnectAndInitAsync(fixture.Host);
        await anonymous.SubscribeAsync("m", Register, new { id = NewSensorId() });
        var error = await anonymous.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        await anonymous.RoundTripAsync();

        await using var reader = await WsClient.ConnectAsync(fixture.Host);
        await reader.SendAsync(new { type = "connection_init", payload = new { apiKey = fixture.ReaderKey } });
        Assert.Equal("connection_ack", (await reader.ReceiveAsync()).GetProperty("type").GetString());
        await reader.SubscribeAsync("m", Register, new { id = NewSensorId() });
        var forbidden = await reader.ReceiveAsync();
        Assert.Equal("FORBIDDEN", forbidden.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        await reader.SubscribeAsync("q", Read);
        Assert.Equal("next", (await reader.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Upgrade_request_headers_count_a_wrong_one_is_refused_before_the_upgrade()
    {
        using (var socket = await ConnectWithHeaderAsync("X-Api-Key", fixture.OperatorKey))
        {
            await SendAsync(socket, new { type = "connection_init" });
            Assert.Equal("connection_ack", (await ReceiveAsync(socket)).GetProperty("type").GetString());
            var id = NewSensorId();
            await SendAsync(socket, new { id = "m", type = "subscribe", payload = new { query = Register, variables = new { id } } });
            Assert.Equal("next", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        }

        var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ConnectWithHeaderAsync("X-Api-Key", ApiKeys.New()));
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
        failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ConnectWithHeaderAsync("Authorization", "Bearer garbage"));
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_whose_token_has_expired_starts_no_more_operations()
    {
        // Valid for one minute, plus the five minutes of clock skew allowed; the gateway's clock then moves on.
        var token = fixture.Tokens.Token(["AirQuality.Operator"], expires: DateTime.UtcNow.AddMinutes(1));
        await using var client = await WsClient.ConnectAsync(fixture.Host);
        await client.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer " + token } });
        Assert.Equal("connection_ack", (await client.ReceiveAsync()).GetProperty("type").GetString());

        fixture.Clock.Set(DateTimeOffset.UtcNow.AddMinutes(10));
        try
        {
            await client.SubscribeAsync("q", Read);
            var error = await client.ReceiveAsync();
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("UNAUTHENTICATED", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        }
        finally
        {
            fixture.Clock.Set(null);
        }
    }

    private static string NewSensorId() => $"auth-{Guid.NewGuid():N}";

    private async Task AssertNotRegisteredAsync(string id)
    {
        var (_, body, _) = await SendAsync(SensorName, new { id });
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("sensor").ValueKind);
    }

    /// <summary>A reading over the rule's threshold raises an alert while the ingest call runs; its id from the sensor's open alerts.</summary>
    private async Task<string> RaiseAlertAsync()
    {
        var sensorId = NewSensorId();
        using var http = fixture.Host.CreateClient();
        await ReadingPosts.PostReadingAsync(http, sensorId, DateTimeOffset.UtcNow.AddMinutes(-1), 150);
        var (_, body, _) = await SendAsync("query($s: ID!) { alerts(sensorId: $s, state: ACTIVE) { edges { node { id } } } }", new { s = sensorId });
        return body.GetProperty("data").GetProperty("alerts").GetProperty("edges")[0].GetProperty("node").GetProperty("id").GetString()!;
    }

    private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)> SendAsync(
        string query, object? variables = null, string? apiKey = null, string? bearer = null, string? authorization = null, string? accept = null) =>
        AuthHttp.SendAsync(fixture.Host, query, variables, apiKey, bearer is null ? authorization : "Bearer " + bearer, accept);

    private async Task<WebSocket> ConnectWithHeaderAsync(string header, string value)
    {
        var client = fixture.Host.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        client.ConfigureRequest = request => request.Headers[header] = value;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await client.ConnectAsync(new Uri(fixture.Host.Server.BaseAddress, "graphql"), timeout.Token);
    }

    private static async Task SendAsync(WebSocket socket, object message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, timeout.Token);
    }

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        WebSocketReceiveResult part;
        do
        {
            part = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, part.MessageType);
            text.Write(buffer, 0, part.Count);
        }
        while (!part.EndOfMessage);

        return JsonDocument.Parse(text.ToArray()).RootElement.Clone();
    }

    internal static string Code(JsonElement body) => body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    internal static string Message(JsonElement body) => GraphQLClient.FirstError(body);

    /// <summary>Errors carry a message and a code, nothing from inside: no exception names, IdentityModel codes or stack frames.</summary>
    internal static void AssertNoInternals(JsonElement body)
    {
        foreach (var error in body.GetProperty("errors").EnumerateArray())
        {
            var message = error.GetProperty("message").GetString()!;
            foreach (var telltale in new[] { "Exception", "IDX", " at ", "System.", "Microsoft.", "stack", "kid", "signature", "audience", "expired" })
            {
                Assert.DoesNotContain(telltale, message, StringComparison.OrdinalIgnoreCase);
            }

            if (error.TryGetProperty("extensions", out var extensions))
            {
                Assert.All(extensions.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "code", "codes" }));
            }
        }
    }
}

/// <summary>Reading needs credentials: a key (no role needed to read) or a token.</summary>
public sealed class AuthenticatedReadingFixture : IAsyncLifetime, IDisposable
{
    public AuthenticatedReadingFixture()
    {
        var settings = new Dictionary<string, string>
        {
            ["Gateway:Auth:Reading"] = "Authenticated",
            ["Gateway:Auth:ApiKeys:0:Name"] = "reader",
            ["Gateway:Auth:ApiKeys:0:Sha256"] = ApiKeys.Sha256Of(ReaderKey),
        };
        TokenIssuer.AddSettings(settings);
        Host = new HostFactory(settings, Tokens.AddServices);
    }

    public string ReaderKey { get; } = ApiKeys.New();

    public TokenIssuer Tokens { get; } = new();

    public HostFactory Host { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public void Dispose() => Tokens.Dispose();
}

public sealed class AuthenticatedReadingTests(AuthenticatedReadingFixture fixture) : IClassFixture<AuthenticatedReadingFixture>
{
    private const string Read = "{ aqiScale(standard: EU_EAQI_2024) { low } }";

    [Fact]
    public async Task An_anonymous_read_is_401_with_a_challenge_and_a_GraphQL_error_body()
    {
        var (status, body, headers) = await AuthHttp.SendAsync(fixture.Host, Read);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", AuthTests.Code(body));
        Assert.Contains(headers.WwwAuthenticate, c => c.Scheme == "Bearer" && c.Parameter is null);
        Assert.Contains(headers.WwwAuthenticate, c => c.Scheme == "ApiKey");
        AuthTests.AssertNoInternals(body);

        // Before the body is even looked at: a broken document is 401 too, not a validation message.
        var (broken, _, _) = await AuthHttp.SendAsync(fixture.Host, "{ nonsense");
        Assert.Equal(HttpStatusCode.Unauthorized, broken);
        using var http = fixture.Host.CreateClient();
        using var get = await http.GetAsync(new Uri("/graphql?query=" + Uri.EscapeDataString(Read), UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
    }

    [Fact]
    public async Task A_key_without_roles_or_a_token_reads()
    {
        Assert.Equal(HttpStatusCode.OK, (await AuthHttp.SendAsync(fixture.Host, Read, apiKey: fixture.ReaderKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await AuthHttp.SendAsync(fixture.Host, Read, authorization: "Bearer " + fixture.Tokens.Token())).Status);
        var (expired, _, _) = await AuthHttp.SendAsync(fixture.Host, Read, authorization: "Bearer " + fixture.Tokens.Token(expires: DateTime.UtcNow.AddMinutes(-30)));
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
    }

    [Fact]
    public async Task A_websocket_needs_credentials_in_init_or_its_upgrade_and_without_closes_with_4403()
    {
        await using (var anonymous = await WsClient.ConnectAsync(fixture.Host))
        {
            await anonymous.SendAsync(new { type = "connection_init" });
            Assert.Equal(4403, await anonymous.ClosedWithAsync());
        }

        await using (var client = await WsClient.ConnectAsync(fixture.Host))
        {
            await client.SendAsync(new { type = "connection_init", payload = new { apiKey = fixture.ReaderKey } });
            Assert.Equal("connection_ack", (await client.ReceiveAsync()).GetProperty("type").GetString());
            await client.SubscribeAsync("q", Read);
            Assert.Equal("next", (await client.ReceiveAsync()).GetProperty("type").GetString());
        }

        await using var viaToken = await WsClient.ConnectAsync(fixture.Host);
        await viaToken.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + fixture.Tokens.Token() } });
        Assert.Equal("connection_ack", (await viaToken.ReceiveAsync()).GetProperty("type").GetString());
    }
}

public sealed class AuthRateLimitTests
{
    [Fact]
    public async Task A_made_up_api_key_counts_against_its_ip_and_a_configured_key_has_an_allowance_of_its_own()
    {
        // Two requests per hour: the window cannot roll over during the test.
        await using var host = new HostFactory(new Dictionary<string, string>
        {
            ["Gateway:RateLimitPermits"] = "2",
            ["Gateway:RateLimitWindow"] = "01:00:00",
        });
        const string read = "{ aqiScale(standard: EU_EAQI_2024) { low } }";

        Assert.Equal(HttpStatusCode.OK, (await AuthHttp.SendAsync(host, read)).Status);
        Assert.Equal(HttpStatusCode.OK, (await AuthHttp.SendAsync(host, read)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AuthHttp.SendAsync(host, read, apiKey: ApiKeys.New())).Status);
        Assert.Equal(HttpStatusCode.OK, (await AuthHttp.SendAsync(host, read, apiKey: host.OperatorKey)).Status);
    }
}

public sealed class AuthOptionsTests
{
    [Fact]
    public void Auth_settings_are_checked_and_every_problem_is_named()
    {
        var options = new GatewayOptions();
        options.Auth.Reading = ReadAccess.Authenticated;
        options.Auth.ApiKeys.Add(new ApiKeyOptions { Name = "", Sha256 = "not-a-hash" });
        options.Auth.ApiKeys.Add(new ApiKeyOptions { Name = "a", Sha256 = new string('A', 64) });
        options.Auth.ApiKeys.Add(new ApiKeyOptions { Name = "a", Sha256 = new string('a', 64) });
        options.Auth.Jwt.Authority = "http://login.example/tenant/v2.0";
        options.Auth.Jwt.TenantId = "tenant";
        var problems = options.Problems().ToList();

        Assert.Contains(problems, p => p.StartsWith("Gateway:Auth:ApiKeys:0:Name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Auth:ApiKeys:0:Sha256", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("name of its own", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("same Sha256", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Auth:Jwt: set either Authority or TenantId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Auth:Jwt:Authority must be an https", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Auth:Jwt:Audience", StringComparison.Ordinal));

        var nobody = new GatewayOptions();
        nobody.Auth.Reading = ReadAccess.Authenticated;
        Assert.Contains(nobody.Problems(), p => p.Contains("nobody could read", StringComparison.Ordinal));

        var entra = new GatewayOptions();
        entra.Auth.Jwt.TenantId = TokenIssuer.TenantId;
        entra.Auth.Jwt.Audience = TokenIssuer.Audience;
        Assert.Empty(entra.Problems());
        Assert.Equal(TokenIssuer.Issuer, entra.Auth.Jwt.EffectiveAuthority);
    }

    [Fact]
    public async Task A_host_with_a_bad_auth_setting_does_not_start()
    {
        await using var host = new HostFactory(new Dictionary<string, string>
        {
            ["Gateway:Auth:ApiKeys:0:Name"] = "plain",
            ["Gateway:Auth:ApiKeys:0:Sha256"] = "a-key-in-plain-text",
        });
        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("Gateway:Auth:ApiKeys:0:Sha256", (failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException)?.Message ?? failure.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>POST /graphql with the given credentials; the response's headers too (for WWW-Authenticate).</summary>
internal static class AuthHttp
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)> SendAsync(
        HostFactory host, string query, object? variables = null, string? apiKey = null, string? authorization = null, string? accept = null)
    {
        using var http = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/graphql", UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd(accept ?? GraphQLClient.ResponseType);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers);
    }
}
