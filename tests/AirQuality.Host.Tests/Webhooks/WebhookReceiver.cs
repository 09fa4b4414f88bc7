using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AirQuality.Host.Tests.Webhooks;

/// <summary>What the receiver answers to its n-th request (from 1).</summary>
public sealed record WebhookAnswer(HttpStatusCode Status, int? RetryAfterSeconds = null);

/// <summary>One request the receiver got, and what it answered.</summary>
public sealed record WebhookRequest(int Number, string Id, string Type, string ContentType, HttpStatusCode Answered, JsonElement Body);

/// <summary>A real webhook receiver on 127.0.0.1 whose answers a test scripts; every request is reported on a channel.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Channel<WebhookRequest> _requests = Channel.CreateUnbounded<WebhookRequest>();
    private WebApplication _app = null!;
    private int _count;

    private WebhookReceiver()
    {
    }

    /// <summary>Decides each answer; read at request time, so a test can change it while a host runs.</summary>
    public Func<int, WebhookAnswer> Answer { get; set; } = _ => new(HttpStatusCode.OK);

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        receiver._app = builder.Build();
        receiver._app.MapPost("/hook", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        receiver.Url = new Uri(receiver._app.Urls.First() + "/hook");
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        var number = Interlocked.Increment(ref _count);
        var body = (await JsonDocument.ParseAsync(http.Request.Body)).RootElement.Clone();
        var answer = Answer(number);
        http.Response.StatusCode = (int)answer.Status;
        if (answer.RetryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await _requests.Writer.WriteAsync(new WebhookRequest(
            number, body.GetProperty("id").GetString()!, body.GetProperty("type").GetString()!, http.Request.ContentType ?? "", answer.Status, body));
    }

    /// <summary>The next request; the timeout only guards against a test hanging.</summary>
    public async Task<WebhookRequest> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _requests.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The requests reported and not yet read.</summary>
    public List<WebhookRequest> Drain()
    {
        var requests = new List<WebhookRequest>();
        while (_requests.Reader.TryRead(out var request))
        {
            requests.Add(request);
        }

        return requests;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
