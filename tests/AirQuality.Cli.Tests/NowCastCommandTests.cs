namespace AirQuality.Cli.Tests;

public class NowCastCommandTests
{
    [Fact]
    public void Prints_the_nowcast_and_its_index()
    {
        var run = CliRun.Of("nowcast", "--pollutant", "pm25", "--hourly", "33.2,33.2,33.2,33.2,33.2,33.2,33.2,33.2,33.2,33.2,33.2,33.2");

        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        Assert.Equal("pm25", json.GetProperty("pollutant").GetString());
        Assert.Equal(33.2, json.GetProperty("nowcast").GetDouble());
        Assert.Equal(96, json.GetProperty("index").GetInt32());
        Assert.Equal("Moderate", json.GetProperty("category").GetString());
    }

    [Fact]
    public void Missing_hours_are_empty_entries()
    {
        var json = CliRun.Of("nowcast", "--pollutant", "pm25", "--hourly", ",20,30,,,").Json;
        Assert.Equal(24.0, json.GetProperty("nowcast").GetDouble());
        Assert.Equal(2, json.GetProperty("hoursWithData").GetInt32());
    }

    [Fact]
    public void Insufficient_data_gives_nulls_not_an_error()
    {
        var run = CliRun.Of("nowcast", "--pollutant", "pm10", "--hourly", ",,40,40,40");
        Assert.Equal(0, run.ExitCode);
        var json = run.Json;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("nowcast").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("index").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("category").ValueKind);
    }

    [Theory]
    [InlineData("pm25 and pm10", "nowcast", "--pollutant", "o3", "--hourly", "1,2,3")]
    [InlineData("at most 12", "nowcast", "--pollutant", "pm25", "--hourly", "1,2,3,4,5,6,7,8,9,10,11,12,13")]
    [InlineData("hour 2", "nowcast", "--pollutant", "pm25", "--hourly", "1,abc,3")]
    [InlineData("hour 1", "nowcast", "--pollutant", "pm25", "--hourly", "-4,2,3")]
    [InlineData("hour 3", "nowcast", "--pollutant", "pm25", "--hourly", "1,2,Infinity")]
    [InlineData("--hourly", "nowcast", "--pollutant", "pm25")]
    public void Bad_arguments_exit_2_with_a_one_line_reason(string reason, params string[] args) =>
        CliRun.Of(args).AssertBadInput(reason);
}
