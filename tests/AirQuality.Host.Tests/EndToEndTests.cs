using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AirQuality.Cli;

namespace AirQuality.Host.Tests;

/// <summary>
/// The real host on a real socket (Kestrel on 127.0.0.1, a free port) fed by the real `airq` importers and
/// simulator, as a user would run them.
/// </summary>
public sealed class EndToEndTests() : HostTest(new HostFactory(HostFactory.NewDataDirectory()), onLoopback: true)
{
    [Fact]
    public async Task Archive_csv_backfill_reaches_the_sensors()
    {
        var day = DateTimeOffset.UtcNow.AddHours(-3);
        var csv = new StringBuilder("sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2\n");
        for (var i = 0; i < 24; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"9036;SDS011;13208;51.044;13.746;{day.AddMinutes(i * 5):yyyy-MM-ddTHH:mm:ss};{20 + i};;;{10 + i};;\n");
        }

        csv.Append("9036;SDS011;13208;51.044;13.746;garbage;1;;;1;;\n");
        var file = Path.Combine(Host.DataDirectory, "sds011.csv");
        await File.WriteAllTextAsync(file, csv.ToString());

        var run = Airq("import", "csv", file, "--target", Address);

        Assert.Equal(0, run.Exit);
        using var client = new HttpClient { BaseAddress = new Uri(Address) };
        var view = await client.GetFromJsonAsync<JsonElement>("/api/v1/sensors/sc-9036");
        Assert.Equal(33.0, view.GetProperty("latest").EnumerateArray().Single(m => m.GetProperty("quantity").GetString() == "pm25").GetProperty("value").GetDouble());
        var hours = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/sc-9036/history?quantity=pm10&from={day.AddHours(-1):O}&to={DateTimeOffset.UtcNow:O}".Replace("+", "%2B", StringComparison.Ordinal));
        Assert.Equal(24, hours.EnumerateArray().Sum(h => h.GetProperty("count").GetInt32()));
        Assert.Contains("garbage", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_data_import_maps_p1_and_p2()
    {
        var file = Path.Combine(Host.DataDirectory, "data.json");
        await File.WriteAllTextAsync(file, $$$"""
            [{"id":1,"timestamp":"{{{DateTimeOffset.UtcNow.AddMinutes(-2):yyyy-MM-dd HH:mm:ss}}}","location":{"id":1,"latitude":"51.044","longitude":"13.746","altitude":"","country":"DE","indoor":0},
              "sensor":{"id":777001,"pin":"1","sensor_type":{"id":14,"name":"SDS011"}},
              "sensordatavalues":[{"value":"40.80","value_type":"P1"},{"value":"21.10","value_type":"P2"}]}]
            """);

        Assert.Equal(0, Airq("import", "sensor-community", "--file", file, "--target", Address).Exit);

        using var client = new HttpClient { BaseAddress = new Uri(Address) };
        var latest = (await client.GetFromJsonAsync<JsonElement>("/api/v1/sensors/sc-777001")).GetProperty("latest").EnumerateArray().ToList();
        Assert.Equal(40.8, latest.Single(m => m.GetProperty("quantity").GetString() == "pm10").GetProperty("value").GetDouble());
        Assert.Equal(21.1, latest.Single(m => m.GetProperty("quantity").GetString() == "pm25").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Simulated_sensors_come_alive_with_an_aqi()
    {
        var run = Airq("simulate", "--sensors", "5", "--duration", "3h", "--interval", "145s", "--seed", "7",
            "--start", DateTimeOffset.UtcNow.AddHours(-3).ToString("O"), "--speed", "max", "--target", Address);

        Assert.Equal(0, run.Exit);
        var ids = await SimulatedIds();
        Assert.Equal(5, ids.Count);
        using var client = new HttpClient { BaseAddress = new Uri(Address) };
        var withIndex = 0;
        foreach (var id in ids)
        {
            var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}");
            withIndex += view.GetProperty("aqi").EnumerateArray().Count(a => a.GetProperty("index").ValueKind == JsonValueKind.Number);
        }

        Assert.True(withIndex > 0, "no simulated sensor has an index under any standard");
    }

    private async Task<List<string>> SimulatedIds()
    {
        // The archive is the record of what was accepted: read the sensor ids back from it, once it is flushed.
        await Host.CheckpointAsync();
        var ids = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Host.DataDirectory, "archive"), "*.ndjson", SearchOption.AllDirectories))
        {
            foreach (var line in await File.ReadAllLinesAsync(file))
            {
                var id = JsonDocument.Parse(line).RootElement.GetProperty("sensorId").GetString()!;
                if (id.StartsWith("sim-", StringComparison.Ordinal))
                {
                    ids.Add(id);
                }
            }
        }

        return [.. ids];
    }

    private static (int Exit, string Stdout, string Stderr) Airq(params string[] args)
    {
        using var input = new MemoryStream();
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exit = AirqApp.Run(args, new CliConsole(input, output, error));
        return (exit, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
