using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AirQuality.Browser.Tests;

/// <summary>
/// The dashboard in Debian's headless Chromium, driven by Playwright, against the real host on a loopback
/// socket with simulated sensors: the markers appear, a click opens a sensor with its 48-hour chart, and
/// an alert raised by a new reading arrives live over the GraphQL subscription; zoomed out, the server's
/// overview cells replace the markers. The page must log no errors and ask nothing of any host but the
/// test's. A screenshot is kept in TestResults/browser/ (or the directory AIRQ_BROWSER_ARTIFACTS names).
/// </summary>
public sealed partial class DashboardBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string OpenedSensor = "sim-berlin-1";
    private const double AlertThreshold = 100;
    private static readonly ViewportSize Viewport = new() { Width = 1280, Height = 1100 };

    // Settings as a deployment would write them: an alert rule on PM2.5 above 100 µg/m³ (and the host's operator
    // key, made up for this run: the host knows only its hash), and the dashboard's run-time settings with no tile
    // URL, so nothing outside is contacted.
    private readonly BrowserHost _host = new(
        HostSettings.WithPm25HighRule(),
        """{"tileUrl":"","tileAttribution":"","center":[49.5,10],"zoom":6}""");

    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _host.Start();
        _client = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_dashboard_shows_the_sensors_opens_one_with_its_chart_and_receives_a_live_alert()
    {
        var clock = Stopwatch.StartNew();
        File.Delete(Path.Combine(ArtifactDirectory(), "dashboard-failure.png")); // from an earlier run
        await PostAsync(SimulatedSensors.HistoryJson(DateTimeOffset.UtcNow), SimulatedSensors.HistoryCount);
        output.WriteLine($"host on {_host.BaseAddress}, {SimulatedSensors.All.Count} sensors with 48 h of history posted after {clock.ElapsedMilliseconds} ms");

        await using var chromium = await Chromium.LaunchAsync(Viewport);
        var context = chromium.Context;
        context.SetDefaultTimeout(60_000);
        SetDefaultExpectTimeout(60_000); // a loaded 2-core CI machine; waits end as soon as the page is ready

        // Everything the page asks for must be on loopback: anything else is aborted and recorded.
        var outside = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var sockets = new ConcurrentQueue<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (IsLoopback(route.Request.Url))
            {
                await route.ContinueAsync();
                return;
            }

            outside.Enqueue(route.Request.Url);
            await route.AbortAsync("blockedbyclient");
        });
        context.Request += (_, request) =>
        {
            if (!IsLoopback(request.Url))
            {
                outside.Enqueue(request.Url);
            }
        };

        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Enqueue($"console.error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Enqueue($"uncaught: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                errors.Enqueue($"HTTP {response.Status} for {response.Request.Method} {response.Url}");
            }
        };
        page.WebSocket += (_, socket) =>
        {
            sockets.Enqueue(socket.Url);
            if (!IsLoopback(socket.Url))
            {
                outside.Enqueue(socket.Url);
            }
        };

        try
        {
            var opened = clock.Elapsed;
            await page.GotoAsync(_host.BaseAddress.ToString());

            // The live connection, then every sensor as its own marker (none clustered at this zoom).
            await Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.GetByTestId("sensor-count")).ToHaveTextAsync($"{SimulatedSensors.All.Count} sensors in view");
            await Expect(page.GetByTestId("marker")).ToHaveCountAsync(SimulatedSensors.All.Count);
            await Expect(page.GetByTestId("cluster")).ToHaveCountAsync(0);
            foreach (var sensor in SimulatedSensors.All)
            {
                var marker = Marker(page, sensor.Id);
                await Expect(marker).ToHaveAttributeAsync("data-status", "ONLINE");
                // An AQI on every sensor with history; the new sensor is on the map too, as "no data".
                await Expect(marker).ToHaveAttributeAsync("data-index", sensor.IsNew ? NoIndex() : WholeNumber());
            }

            await Expect(page.GetByTestId("alert-item")).ToHaveCountAsync(0);
            output.WriteLine($"markers shown {(clock.Elapsed - opened).TotalMilliseconds:0} ms after the page was opened");

            // A click on a marker opens the sensor: its heading, status and the hourly chart drawn from the history.
            await Marker(page, OpenedSensor).ClickAsync();
            var panel = page.GetByTestId("sensor-panel");
            await Expect(panel).ToBeVisibleAsync();
            await Expect(panel.Locator("h2")).ToHaveTextAsync($"Sensor {OpenedSensor}");
            await Expect(panel.GetByTestId("sensor-status")).ToHaveTextAsync("ONLINE");
            await Expect(Marker(page, OpenedSensor)).ToHaveClassAsync(new Regex(@"\bselected\b"));
            await Expect(panel.GetByTestId("latest-values")).ToContainTextAsync("pm25");

            var hourly = panel.GetByTestId("aqi-chart-hourly");
            var pm25Line = hourly.Locator("svg polyline[stroke='#1f77b4']");
            var pm10Line = hourly.Locator("svg polyline[stroke='#d62728']");
            await Expect(pm25Line).ToHaveCountAsync(1); // one unbroken line: every hour has readings
            await Expect(pm10Line).ToHaveCountAsync(1);
            var points = ChartPoints(await pm25Line.GetAttributeAsync("points"));
            Assert.InRange(points.Count, 47, 48); // the 48 hourly means of the window
            Assert.True(points.Select(p => p.Y).Distinct().Count() > 10, "the PM2.5 line is flat: " + string.Join(' ', points));
            Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First.X < pair.Second.X), "the PM2.5 line does not run left to right");
            await Expect(hourly.Locator(".chart-legend")).Not.ToContainTextAsync("no data");
            await Expect(panel.GetByTestId("aqi-chart-daily").Locator("svg polyline[stroke='#1f77b4']")).ToHaveCountAsync(1);

            // A reading over the rule's threshold raises an alert; it must reach the open page live.
            await page.EvaluateAsync("() => { window.airqSamePage = true; }");
            await _host.AlertSubscriptions.SubscribedAsync(TimeSpan.FromSeconds(60));
            var sensorUnderTest = SimulatedSensors.All.Single(s => s.Id == OpenedSensor);
            var raisedAt = clock.Elapsed;
            await PostAsync(SimulatedSensors.ReadingJson(sensorUnderTest, DateTimeOffset.UtcNow, AlertThreshold + 80), 1);

            var alert = page.Locator($"[data-testid='alert-item'][data-sensor-id='{OpenedSensor}']");
            await Expect(alert).ToBeVisibleAsync();
            output.WriteLine($"live alert shown {(clock.Elapsed - raisedAt).TotalMilliseconds:0} ms after the reading was posted");
            await Expect(alert).ToHaveAttributeAsync("data-state", "ACTIVE");
            await Expect(alert).ToContainTextAsync("pm25-high");
            await Expect(alert).ToContainTextAsync(new Regex("critical", RegexOptions.IgnoreCase));
            await Expect(page.GetByTestId("alert-item")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("alert-count")).ToHaveTextAsync("1");
            Assert.True(await page.EvaluateAsync<bool>("() => window.airqSamePage === true"), "the page was reloaded");

            // The open panel follows: the alert is listed with its acknowledge button, the latest value is the new one.
            await Expect(panel.GetByTestId("panel-alerts")).ToContainTextAsync("pm25-high");
            await Expect(panel.GetByTestId("ack-button")).ToBeVisibleAsync();
            await Expect(panel.GetByTestId("latest-values")).ToContainTextAsync("180");

            await Expect(page.GetByTestId("error-banner")).ToBeHiddenAsync();
            var screenshot = Path.Combine(ArtifactDirectory(), "dashboard.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
            AssertPng(screenshot, Viewport);
            output.WriteLine($"screenshot: {screenshot} ({new FileInfo(screenshot).Length} bytes)");

            // Zoomed out: the server's overview (sensorGrid) instead of single sensors, every sensor counted in a
            // cell; it lags the index by a few seconds, and the page reads it again while it is shown. And back.
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Zoom out", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("sensor-count")).ToHaveTextAsync($"Overview: {SimulatedSensors.All.Count} sensors in {SimulatedSensors.All.Count} areas (zoom in for single sensors)");
            await Expect(page.GetByTestId("marker")).ToHaveCountAsync(0);
            var cells = page.GetByTestId("overview-cell");
            await Expect(cells).ToHaveCountAsync(SimulatedSensors.All.Count); // the cities are in tiles of their own
            Assert.Equal(SimulatedSensors.All.Count, await cells.EvaluateAllAsync<int>("cells => cells.reduce((n, c) => n + Number(c.dataset.count), 0)"));
            // Coloured by the worst index in the cell: every city but the new sensor's has one.
            Assert.Equal(SimulatedSensors.All.Count(s => !s.IsNew), await cells.EvaluateAllAsync<int>("cells => cells.filter(c => c.dataset.index !== '').length"));
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Zoom in", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("sensor-count")).ToHaveTextAsync($"{SimulatedSensors.All.Count} sensors in view");
            await Expect(page.GetByTestId("marker")).ToHaveCountAsync(SimulatedSensors.All.Count);
            await Expect(page.GetByTestId("error-banner")).ToBeHiddenAsync();

            // Acknowledging is a mutation: the operator saves the API key, the page sends it, and the alert moves on.
            await page.GetByTestId("api-key-input").FillAsync(_host.OperatorKey);
            await page.GetByTestId("api-key-save").ClickAsync();
            await panel.GetByTestId("ack-button").ClickAsync();
            await Expect(alert).ToHaveAttributeAsync("data-state", "ACKNOWLEDGED");
            await Expect(panel.GetByTestId("ack-error")).ToBeHiddenAsync();
            Assert.Equal(_host.OperatorKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('airquality.apiKey')"));
            Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('airquality.apiKey')"));
        }
        catch
        {
            await TryScreenshotAsync(page, "dashboard-failure.png");
            output.WriteLine("page errors: " + string.Join(Environment.NewLine, errors));
            output.WriteLine("outside requests: " + string.Join(Environment.NewLine, outside));
            throw;
        }

        Assert.True(errors.IsEmpty, "the page reported errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        Assert.True(outside.IsEmpty, "the page asked for outside addresses:" + Environment.NewLine + string.Join(Environment.NewLine, outside));
        // One socket, and one more when the saved key reconnected it; both to the host's own endpoint.
        Assert.All(sockets, url => Assert.Equal(new Uri(_host.BaseAddress, "graphql").AbsoluteUri.Replace("http:", "ws:", StringComparison.Ordinal), url));
        Assert.InRange(sockets.Count, 1, 2);
        output.WriteLine($"browser test took {clock.ElapsedMilliseconds} ms (host started before)");
    }

    private static ILocator Marker(IPage page, string sensorId) =>
        page.Locator($"[data-testid='marker'][data-sensor-id='{sensorId}']");

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex("^$")]
    private static partial Regex NoIndex();

    private async Task PostAsync(string json, int expected)
    {
        using var response = await _client.PostJsonAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"ingest answered {(int)response.StatusCode}: {body}");
        using var answer = JsonDocument.Parse(body);
        Assert.True(answer.RootElement.GetProperty("accepted").GetInt32() == expected
            && answer.RootElement.GetProperty("rejected").GetInt32() == 0
            && answer.RootElement.GetProperty("rejectedValues").GetInt32() == 0, "ingest did not take every reading: " + body);
    }

    private static bool IsLoopback(string url)
    {
        var uri = new Uri(url);
        return uri.Scheme is "data" or "blob" or "about"
            || (uri.Scheme is "http" or "ws" && (uri.IsLoopback || uri.Host == "127.0.0.1"));
    }

    private static List<(double X, double Y)> ChartPoints(string? points) =>
        (points ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(xy => (double.Parse(xy[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(xy[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>A PNG of the viewport's size with real content (a blank page compresses to almost nothing).</summary>
    private static void AssertPng(string path, ViewportSize viewport)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 20_000, $"the screenshot is only {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(viewport.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(viewport.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    private async Task TryScreenshotAsync(IPage page, string name)
    {
        try
        {
            var path = Path.Combine(ArtifactDirectory(), name);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Timeout = 10_000 });
            output.WriteLine($"screenshot of the failure: {path}");
        }
        catch (PlaywrightException e)
        {
            output.WriteLine($"no screenshot of the failure: {e.Message}");
        }
    }

    /// <summary>AIRQ_BROWSER_ARTIFACTS, else TestResults/browser at the repository root (test.sh keeps TestResults/).</summary>
    private static string ArtifactDirectory()
    {
        var directory = Environment.GetEnvironmentVariable("AIRQ_BROWSER_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Repository.Root(), "TestResults", "browser");
        Directory.CreateDirectory(directory);
        return directory;
    }
}
