using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AirQuality.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests;

/// <summary>Sensor ids a client makes up must not create lasting sensors or activations.</summary>
public sealed class UnknownSensorTests() : HostTest(new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string> { ["Ingest:UnknownSensors"] = "Reject" }))
{
    [Fact]
    public async Task With_unknown_sensors_rejected_only_registered_or_known_sensors_take_readings()
    {
        var grains = Host.Services.GetRequiredService<IGrainFactory>();
        _ = await grains.GetGrain<ISensorGrain>("registered-1").Register(new SensorRegistration { Name = "Roof", Latitude = 52.5, Longitude = 13.4 });

        var response = await Post(Line("registered-1", 2, 10), Line("stranger-1", 2, 11), Line("stranger-1", 3, 12), Line("stranger-2", 2, 13));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(3, body.GetProperty("rejected").GetInt32());
        var reasons = body.GetProperty("rejections").EnumerateArray().ToDictionary(r => r.GetProperty("sensorId").GetString()!, r => r.GetProperty("reason").GetString()!);
        Assert.Equal(["stranger-1", "stranger-2"], reasons.Keys.Order());
        Assert.Contains("Ingest:UnknownSensors", reasons["stranger-1"], StringComparison.Ordinal);
        Assert.Contains("2 reading(s)", reasons["stranger-1"], StringComparison.Ordinal);

        // Refused readings are kept nowhere: not in state, not in the archive.
        await Host.CheckpointAsync();
        var archived = string.Concat(Directory.GetFiles(Path.Combine(Host.DataDirectory, "archive"), "*.ndjson", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("registered-1", archived, StringComparison.Ordinal);
        Assert.DoesNotContain("stranger", archived, StringComparison.Ordinal);
        Assert.False(await grains.GetGrain<ISensorGrain>("stranger-1").IsKnown());

        // Nothing but strangers: 400, nothing accepted.
        var none = await Post(Line("stranger-3", 2, 1));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
    }

    [Fact]
    public async Task Reads_of_sensors_that_do_not_exist_leave_no_activations_behind()
    {
        var management = Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var before = await SensorActivations(management);
        for (var i = 0; i < 200; i++)
        {
            var view = await Client.GetAsync(new Uri($"/api/v1/sensors/made-up-{i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(new Uri($"/api/v1/sensors/made-up-{i}/history?quantity=pm25", UriKind.Relative))).StatusCode);
        }

        // Each activation ends 2 s after its last call; wait for the runtime to finish
        // them, not for a fixed time: without the fix the 200 stay for the collection age (15 min).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int now;
        while ((now = await SensorActivations(management)) > before + 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50); // polling the condition, with the deadline as the only bound
        }

        Assert.True(now <= before + 5, $"{now - before} activations of made-up sensors are still there");
    }

    private static async Task<int> SensorActivations(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("SensorGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    private Task<HttpResponseMessage> Post(params string[] lines) => Client.PostNdjsonAsync(lines);

    private static string Line(string id, int minutesAgo, double pm25) => ReadingPosts.Line(id, DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), pm25);
}
