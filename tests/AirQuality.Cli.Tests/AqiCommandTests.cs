namespace AirQuality.Cli.Tests;

public class AqiCommandTests
{
    [Fact]
    public void Prints_one_json_object_with_the_agencys_category()
    {
        var run = CliRun.Of("aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "35.5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        var json = run.Json;
        Assert.Equal("uk-daqi", json.GetProperty("standard").GetString());
        Assert.Equal("pm25", json.GetProperty("pollutant").GetString());
        Assert.Equal(35.5, json.GetProperty("value").GetDouble());
        Assert.Equal(4, json.GetProperty("index").GetInt32());
        Assert.Equal("Moderate", json.GetProperty("category").GetString());
        Assert.Equal("#ffff00", json.GetProperty("color").GetString());
        Assert.Equal("24h", json.GetProperty("averaging").GetString());
    }

    [Theory]
    [InlineData("us-epa-2024", "pm25", "35.4", 100, "Moderate", "24h")]
    [InlineData("us-epa-2024", "pm25", "35.5", 101, "Unhealthy for Sensitive Groups", "24h")]
    [InlineData("us-epa-2024", "o3", "0.071", 101, "Unhealthy for Sensitive Groups", "8h")]
    [InlineData("us-epa-2024", "no2", "650", 201, "Very Unhealthy", "1h")]
    [InlineData("eu-eaqi-2024", "pm25", "5", 1, "Good", "1h")]
    [InlineData("eu-eaqi-2024", "pm10", "300", 6, "Extremely poor", "1h")]
    [InlineData("uk-daqi", "pm25", "11.5", 2, "Low", "24h")]
    [InlineData("uk-daqi", "no2", "601", 10, "Very High", "1h")]
    public void Defaults_to_each_standards_own_unit_and_averaging(string standard, string pollutant, string value, int index, string category, string averaging)
    {
        var json = CliRun.Of("aqi", "--standard", standard, "--pollutant", pollutant, "--value", value).Json;
        Assert.Equal(index, json.GetProperty("index").GetInt32());
        Assert.Equal(category, json.GetProperty("category").GetString());
        Assert.Equal(averaging, json.GetProperty("averaging").GetString());
    }

    [Fact]
    public void Converts_units_at_the_standards_reference_temperature()
    {
        // 70 ppb O3 is 0.070 ppm: AQI 100 in the US.
        var us = CliRun.Of("aqi", "--standard", "us-epa-2024", "--pollutant", "o3", "--value", "70", "--unit", "ppb").Json;
        Assert.Equal(100, us.GetProperty("index").GetInt32());
        Assert.Equal("ppb", us.GetProperty("unit").GetString());

        // 50 ppb O3 is 100 µg/m³ at 20 °C: the top of EU band 2 (Fair).
        var eu = CliRun.Of("aqi", "--standard", "eu-eaqi-2024", "--pollutant", "o3", "--value", "50", "--unit", "ppb").Json;
        Assert.Equal(2, eu.GetProperty("index").GetInt32());
    }

    [Fact]
    public void Honours_an_explicit_averaging()
    {
        var json = CliRun.Of("aqi", "--standard", "us-epa-2024", "--pollutant", "o3", "--value", "0.130", "--averaging", "1h").Json;
        Assert.Equal(107, json.GetProperty("index").GetInt32());
        Assert.Equal("1h", json.GetProperty("averaging").GetString());
    }

    [Fact]
    public void Flags_values_beyond_the_index()
    {
        var json = CliRun.Of("aqi", "--standard", "us-epa-2024", "--pollutant", "pm25", "--value", "900").Json;
        Assert.Equal(500, json.GetProperty("index").GetInt32());
        Assert.True(json.GetProperty("beyondIndex").GetBoolean());
    }

    [Theory]
    [InlineData("unknown standard", "aqi", "--standard", "us-1999", "--pollutant", "pm25", "--value", "1")]
    [InlineData("unknown pollutant", "aqi", "--standard", "uk-daqi", "--pollutant", "radon", "--value", "1")]
    [InlineData("value is required", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25")]
    [InlineData("standard is required", "aqi", "--pollutant", "pm25", "--value", "1")]
    [InlineData("--value must be a number, got 'abc'", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "abc")]
    [InlineData("--value must be a number", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "12,5")]
    [InlineData("finite", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "1e400")]
    [InlineData("unknown unit", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "1", "--unit", "furlongs")]
    [InlineData("cannot be given in ppb", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "1", "--unit", "ppb")]
    [InlineData("unknown averaging", "aqi", "--standard", "uk-daqi", "--pollutant", "pm25", "--value", "1", "--averaging", "3d")]
    [InlineData("not 1h", "aqi", "--standard", "us-epa-2024", "--pollutant", "pm25", "--value", "1", "--averaging", "1h")]
    [InlineData("does not index co", "aqi", "--standard", "eu-eaqi-2024", "--pollutant", "co", "--value", "1")]
    [InlineData("24-hour", "aqi", "--standard", "us-epa-2024", "--pollutant", "so2", "--value", "400")]
    [InlineData("unrecognized", "aqi", "--standard", "uk-daqi", "--bogus")]
    [InlineData("--batch", "aqi", "--batch", "--standard", "uk-daqi")]
    public void Bad_arguments_exit_2_with_a_one_line_reason(string reason, params string[] args) =>
        CliRun.Of(args).AssertBadInput(reason);

    [Fact]
    public void Batch_answers_every_line_and_a_bad_line_does_not_stop_it()
    {
        var stdin = string.Join('\n',
            """{"standard":"uk-daqi","pollutant":"pm25","value":35.5}""",
            """{"standard":"us-epa-2024","pollutant":"o3","value":70,"unit":"ppb"}""",
            "this is not json",
            "",
            """{"standard":"eu-eaqi-2024","pollutant":"pm10","value":"12"}""",
            """{"standard":"eu-eaqi-2024","pollutant":"pm10","value":1e400}""",
            """{"standard":"eu-eaqi-2024","pollutant":"pm10"}""",
            """[1,2,3]""",
            """{"standard":"eu-eaqi-2024","pollutant":"pm10","value":12} trailing""",
            """{"standard":"eu-eaqi-2024","pollutant":"pm10","value":12,"averaging":"1h","extra":{"ignored":true}}""",
            """{"standard":"uk-daqi","pollutant":"pm25","val""");

        var run = CliRun.WithStdin(stdin, "aqi", "--batch");

        Assert.Equal(0, run.ExitCode);
        var lines = run.JsonLines;
        Assert.Equal(10, lines.Length); // the blank line is skipped
        Assert.Equal(4, lines[0].GetProperty("index").GetInt32());
        Assert.Equal(100, lines[1].GetProperty("index").GetInt32());
        Assert.Contains("malformed JSON", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, lines[2].GetProperty("line").GetInt32());
        Assert.Contains("must be a number", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, lines[3].GetProperty("line").GetInt32());
        Assert.Contains("finite", lines[4].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("value is required", lines[5].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("JSON object", lines[6].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(lines[7].TryGetProperty("error", out _));
        Assert.Equal(1, lines[8].GetProperty("index").GetInt32());
        Assert.True(lines[9].TryGetProperty("error", out _));
    }

    [Fact]
    public void Batch_with_empty_input_writes_nothing_and_succeeds()
    {
        var run = CliRun.WithStdin("", "aqi", "--batch");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
    }
}
