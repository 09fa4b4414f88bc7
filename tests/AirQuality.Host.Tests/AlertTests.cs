using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AirQuality.Host.Tests;

/// <summary>Alerts end to end: a reading over a threshold raises an alert, delivered to a real local webhook receiver.</summary>
public sealed class AlertTests : IAsyncLifetime
{
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _contentTypes = [];
    private WebApplication _receiver = null!;
    private HostFactory _host = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpContext http) =>
        {
            lock (_contentTypes)
            {
                _contentTypes.Add(http.Request.ContentType ?? "");
            }

            var body = await JsonDocument.ParseAsync(http.Request.Body);
            await _received.Writer.WriteAsync(body.RootElement.Clone());
            return Results.Ok();
        });
        await _receiver.StartAsync();

        _host = new HostFactory(HostFactory.NewDataDirectory(), HostSettings.WithPm25HighRule(("Alerts:Webhooks:Urls:0", _receiver.Urls.First() + "/hook")));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_reading_over_the_threshold_raises_an_alert_delivered_as_a_cloudevent_and_clears()
    {
        using var client = _host.CreateClient();
        var id = $"alert-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;

        Assert.Equal(HttpStatusCode.OK, (await Post(client, id, now.AddMinutes(-2), 150)).StatusCode);

        var raised = await NextEvent();
        Assert.Equal("1.0", raised.GetProperty("specversion").GetString());
        Assert.Equal("org.airquality.alert.raised", raised.GetProperty("type").GetString());
        Assert.Equal($"/sensors/{id}", raised.GetProperty("source").GetString());
        Assert.Equal("pm25-high", raised.GetProperty("data").GetProperty("rule").GetString());
        Assert.Equal("critical", raised.GetProperty("data").GetProperty("severity").GetString());
        Assert.Equal(150, raised.GetProperty("data").GetProperty("triggerValue").GetDouble());
        Assert.StartsWith("application/cloudevents+json", _contentTypes[0], StringComparison.Ordinal);

        var open = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}/alerts");
        Assert.Equal("Active", Assert.Single(open.EnumerateArray()).GetProperty("state").GetString());

        // 90 is between the clear value and the threshold: still open (hysteresis); 70 clears it.
        await Post(client, id, now.AddMinutes(-1), 90);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}/alerts")).EnumerateArray());
        await Post(client, id, now, 70);
        Assert.Equal("org.airquality.alert.cleared", (await NextEvent()).GetProperty("type").GetString());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}/alerts")).EnumerateArray());
    }

    private async Task<JsonElement> NextEvent()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string id, DateTimeOffset at, double pm25) =>
        client.PostJsonAsync(ReadingPosts.Line(id, at, pm25));
}
