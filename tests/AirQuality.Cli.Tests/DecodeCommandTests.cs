using System.Text;

namespace AirQuality.Cli.Tests;

public class DecodeCommandTests
{
    private const string ScRecords = """
        [{"id":4767756759,"sampling_rate":null,"timestamp":"2019-09-03 20:13:54",
          "location":{"id":13208,"latitude":"51.044","longitude":"13.746","altitude":"","country":"DE","exact_location":0,"indoor":1},
          "sensor":{"id":36,"pin":"1","sensor_type":{"id":14,"name":"SDS011","manufacturer":"Nova Fitness"}},
          "sensordatavalues":[{"id":10122094561,"value":"40.80","value_type":"P1"},{"id":10122094562,"value":"21.10","value_type":"P2"}]}]
        """;

    [Fact]
    public void Canonical_ndjson_keeps_good_lines_and_reports_the_bad_one_with_its_line()
    {
        var stdin = string.Join('\n',
            """{"sensorId":"a","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":12.3,"pm10":20.1,"temperature":3.2}}""",
            """{"sensorId":"b","timestamp":"garbage","values":{"pm25":1}}""",
            """{"sensorId":"c","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":5}}""");

        var run = CliRun.WithStdin(stdin, "decode", "--format", "canonical");

        Assert.Equal(0, run.ExitCode);
        var readings = run.JsonLines;
        Assert.Equal(2, readings.Length);
        Assert.Equal("a", readings[0].GetProperty("sensorId").GetString());
        Assert.Equal(12.3, readings[0].GetProperty("values").GetProperty("pm25").GetDouble());
        Assert.Equal("c", readings[1].GetProperty("sensorId").GetString());

        var rejected = Assert.Single(run.StderrLines, l => l.StartsWith("rejected", StringComparison.Ordinal));
        Assert.Contains("record 2", rejected, StringComparison.Ordinal);
        Assert.Contains("timestamp", rejected, StringComparison.Ordinal);
        Assert.StartsWith("decoded 2 readings from 3 records; 1 records", run.StderrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Sensor_community_records_map_p1_to_pm10_and_p2_to_pm25()
    {
        var run = CliRun.WithStdin(ScRecords, "decode", "--format", "sc-records");

        Assert.Equal(0, run.ExitCode);
        var reading = Assert.Single(run.JsonLines);
        Assert.Equal("sc-36", reading.GetProperty("sensorId").GetString());
        Assert.Equal("2019-09-03T20:13:54Z", reading.GetProperty("timestamp").GetString());
        Assert.Equal(40.8, reading.GetProperty("values").GetProperty("pm10").GetDouble());
        Assert.Equal(21.1, reading.GetProperty("values").GetProperty("pm25").GetDouble());
        Assert.Equal(51.044, reading.GetProperty("location").GetProperty("latitude").GetDouble());
        Assert.True(reading.GetProperty("location").GetProperty("indoor").GetBoolean());
    }

    [Fact]
    public void Device_push_takes_the_sensor_and_pin_as_options()
    {
        var body = """{"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","value":"66.04"},{"value_type":"P2","value":53.32}]}""";
        var run = CliRun.WithStdin(body, "decode", "--format", "sc-push", "--sensor", "esp8266-15132406", "--pin", "1");

        Assert.Equal(0, run.ExitCode);
        var reading = Assert.Single(run.JsonLines);
        Assert.Equal("esp8266-15132406:1", reading.GetProperty("sensorId").GetString());
        Assert.Equal(66.04, reading.GetProperty("values").GetProperty("pm10").GetDouble());
        Assert.Equal(53.32, reading.GetProperty("values").GetProperty("pm25").GetDouble());
    }

    [Fact]
    public void Archive_csv_is_read_from_a_file()
    {
        using var directory = new TempDirectory("airq-decode-");
        var path = directory.Combine("archive.csv");
        File.WriteAllText(path,
            "sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2\n" +
            "36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;\n" +
            "36;SDS011;13208;51.044;13.746;not-a-time;40.80;;;21.10;;\n" +
            "36;SDS011;13208;51.044;13.746;2019-09-03T00:03:24;38.50;;;20.00;;\n");

        var run = CliRun.Of("decode", "--format", "sc-csv", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.JsonLines.Length);
        Assert.Contains(run.StderrLines, l => l.StartsWith("rejected", StringComparison.Ordinal) && l.Contains("line 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Decoded_output_decodes_again_to_the_same_readings()
    {
        var first = CliRun.WithStdin(ScRecords, "decode", "--format", "sc-records");
        var second = CliRun.WithStdin(first.Stdout, "decode", "--format", "canonical");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    [InlineData("not json at all")]
    [InlineData("[{\"sensorId\":\"a\",\"timest")]
    public void Input_with_nothing_good_exits_2_after_listing_the_rejects(string stdin)
    {
        var run = CliRun.WithStdin(stdin, "decode", "--format", "canonical");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(run.StderrLines, l => l.StartsWith("rejected", StringComparison.Ordinal));
        Assert.Equal("airq: no readings could be decoded", run.StderrLines[^1]);
    }

    [Fact]
    public void Binary_garbage_is_rejected_not_crashed_on()
    {
        var garbage = new byte[4096];
        new Random(3).NextBytes(garbage);
        foreach (var format in new[] { "canonical", "sc-records", "sc-csv" })
        {
            var run = CliRun.WithStdin(garbage, "decode", "--format", format);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal("airq: no readings could be decoded", run.StderrLines[^1]);
        }
    }

    [Theory]
    [InlineData("no such file", "decode", "--format", "canonical", "/nonexistent/readings.json")]
    [InlineData("sc-push only", "decode", "--format", "canonical", "--sensor", "x")]
    [InlineData("canonical", "decode", "--format", "xml")]
    [InlineData("--format", "decode")]
    public void Bad_arguments_exit_2_with_a_one_line_reason(string reason, params string[] args) =>
        CliRun.Of(args).AssertBadInput(reason);

    [Fact]
    public void Push_without_headers_explains_what_is_missing()
    {
        var run = CliRun.WithStdin(Encoding.UTF8.GetBytes("""{"sensordatavalues":[{"value_type":"P1","value":"1"}]}"""), "decode", "--format", "sc-push");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.StderrLines, l => l.Contains("X-Sensor", StringComparison.OrdinalIgnoreCase));
    }
}
