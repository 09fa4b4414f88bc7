using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using AirQuality.Contracts;
using AirQuality.Gateway.Export;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests;

public sealed class ExportTests : IAsyncLifetime
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly HistoryGate _gate = new();
    private readonly WebApplicationFactory<Program> _host;
    private HttpClient _client = null!;
    private DateTimeOffset _hour;

    public ExportTests()
    {
        _host = new HostFactory(HostFactory.NewDataDirectory()).WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.AddSingleton<Orleans.IIncomingGrainCallFilter>(_gate)));
    }

    public async Task InitializeAsync()
    {
        _client = _host.CreateClient();
        // Two readings in each of the last two full hours, for 40 sensors in Tórshavn (nobody else's place).
        _hour = new DateTimeOffset(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(-2);
        var lines = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            foreach (var (minutes, pm25) in new[] { (5, 10.0), (35, 20.5), (65, 30.0), (95, 31.0) })
            {
                lines.Add(string.Create(C, $$$"""{"sensorId":"exp-{{{i:00}}}","timestamp":"{{{_hour.AddMinutes(minutes):yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":{{{pm25 + i}}}},"location":{"latitude":{{{62.0 + i * 0.001}}},"longitude":-6.77,"country":"FO"}}"""));
            }
        }

        var response = await _client.PostNdjsonAsync(lines);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _gate.Open();
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task One_sensor_hourly_is_RFC_4180_with_a_header_UTC_times_invariant_numbers_and_an_attachment_name()
    {
        var response = await _client.GetAsync($"/api/v1/export.csv?sensor=exp-01&quantity=pm25&from={Iso(_hour)}&to={Iso(_hour.AddHours(2))}&interval=hour");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("airquality-exp-01-pm25-hour.csv", response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var rows = text.Split("\r\n")[..^1];
        Assert.Equal(string.Join(',', ExportEndpoints.Columns), rows[0]);
        Assert.Equal(3, rows.Length);
        var first = rows[1].Split(',');
        Assert.Equal(["exp-01", "", "62.001", "-6.77", "FO", "pm25", Iso(_hour), Iso(_hour.AddHours(1))], first[..8]);
        Assert.Equal("16.25", first[8]); // mean of 11 and 21.5, with a point whatever the culture
        Assert.Equal(["11", "21.5", "2"], first[9..12]);
        Assert.Equal(Iso(_hour.AddHours(1)), rows[2].Split(',')[6]);
    }

    [Fact]
    public async Task One_sensor_daily_has_a_row_per_day()
    {
        var day = new DateTimeOffset(_hour.UtcDateTime.Date, TimeSpan.Zero);
        var response = await _client.GetAsync($"/api/v1/export.csv?sensor=exp-02&quantity=pm25&from={Iso(day.AddDays(-1))}&to={Iso(day.AddDays(2))}&interval=day");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("exp-02,", r, StringComparison.Ordinal));
        Assert.Equal(4, rows.Sum(r => int.Parse(r.Split(',')[11], C))); // every reading counted once, whichever days they fell in
    }

    [Fact]
    public async Task A_bbox_exports_every_sensor_in_it_in_id_order_and_a_name_with_a_comma_and_quotes_is_quoted()
    {
        await _host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISensorGrain>("exp-03")
            .Register(new SensorRegistration { Name = "Harbour, \"north\" pier" });

        var text = await _client.GetStringAsync($"/api/v1/export.csv?bbox=-7,61.9,-6.5,62.1&quantity=pm25&from={Iso(_hour)}&to={Iso(_hour.AddHours(2))}");

        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(80, rows.Length);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"exp-{i:00}"), rows.Select(r => r[..6]).Distinct());
        Assert.StartsWith("exp-03,\"Harbour, \"\"north\"\" pier\",62.003,", rows.First(r => r.StartsWith("exp-03", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quantity=pm25")]
    [InlineData("sensor=exp-01&country=FO&quantity=pm25")]
    [InlineData("sensor=bad id&quantity=pm25")]
    [InlineData("sensor=exp-01")]
    [InlineData("sensor=exp-01&quantity=noise")]
    [InlineData("sensor=exp-01&quantity=pm25&interval=week")]
    [InlineData("sensor=exp-01&quantity=pm25&from=yesterday")]
    [InlineData("sensor=exp-01&quantity=pm25&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("sensor=exp-01&quantity=pm25&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("bbox=1,2,3&quantity=pm25")]
    [InlineData("bbox=-180,-90,180,90&quantity=pm25")]
    [InlineData("country=Faroe&quantity=pm25")]
    public async Task Bad_parameters_get_400_with_a_reason(string query)
    {
        var response = await _client.GetAsync("/api/v1/export.csv?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task A_set_larger_than_the_cap_gets_400_before_anything_is_written()
    {
        await using var capped = new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string> { ["Export:MaxSensors"] = "1" });
        using var client = capped.CreateClient();
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var lines = string.Join('\n', Enumerable.Range(0, 2).Select(i =>
            string.Create(C, $$$"""{"sensorId":"cap-{{{i}}}","timestamp":"{{{now:yyyy-MM-ddTHH:mm:ssZ}}}","values":{"pm25":5},"location":{"latitude":62.0,"longitude":-6.77,"country":"FO"}}""")));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/readings", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"))).StatusCode);

        var response = await client.GetAsync("/api/v1/export.csv?country=FO&quantity=pm25");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2 sensors", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_export_is_streamed_the_first_sensors_arrive_while_the_last_is_still_being_asked()
    {
        // The last sensor's history call waits at the gate: a buffered export could not send a byte before it.
        _gate.Hold("exp-39");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/export.csv?country=FO&quantity=pm25&from={Iso(_hour)}&to={Iso(_hour.AddHours(2))}");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var header = await reader.ReadLineAsync();
        Assert.StartsWith("sensor_id,", header, StringComparison.Ordinal);
        var firstRows = new List<string>();
        for (var i = 0; i < 2 * 10; i++)
        {
            firstRows.Add((await reader.ReadLineAsync())!);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"exp-{i:00}"), firstRows.Select(r => r[..6]).Distinct());
        Assert.False(_gate.Released); // the rows above came while exp-39's call was still held

        _gate.Open();
        var rest = (await reader.ReadToEndAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(80, firstRows.Count + rest.Length);
        Assert.StartsWith("exp-39,", rest[^1], StringComparison.Ordinal);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", C);

    /// <summary>Holds one sensor's GetHistory calls until opened.</summary>
    private sealed class HistoryGate : Orleans.IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _held;

        public bool Released => _open.Task.IsCompleted;

        public void Hold(string sensorId) => _held = sensorId;

        public void Open() => _open.TrySetResult();

        public async Task Invoke(Orleans.IIncomingGrainCallContext context)
        {
            if (_held is not null && context.InterfaceMethod?.Name == nameof(ISensorGrain.GetHistory)
                && context.TargetId.Key.ToString() == _held)
            {
                await _open.Task.WaitAsync(TimeSpan.FromSeconds(60)); // a guard against a hang only
            }

            await context.Invoke();
        }
    }
}
