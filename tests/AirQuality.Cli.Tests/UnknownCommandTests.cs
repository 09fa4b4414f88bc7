namespace AirQuality.Cli.Tests;

/// <summary>A word no command knows is bad input (exit 2, saying which word), with or without --help.</summary>
public sealed class UnknownCommandTests
{
    [Theory]
    [InlineData(new[] { "import", "openaq", "--help" }, "unrecognized command or argument 'openaq' for 'airq import'")]
    [InlineData(new[] { "import", "openaq" }, "unrecognized command or argument 'openaq' for 'airq import'")]
    [InlineData(new[] { "frobnicate" }, "unrecognized command or argument 'frobnicate' for 'airq'")]
    [InlineData(new[] { "frobnicate", "--help" }, "unrecognized command or argument 'frobnicate' for 'airq'")]
    public void An_unknown_command_fails_with_exit_2_naming_it(string[] args, string reason) =>
        CliRun.Of(args).AssertBadInput(reason);

    [Fact]
    public void Help_of_a_real_command_still_exits_0()
    {
        var run = CliRun.Of("import", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage", run.Stdout, StringComparison.Ordinal);
    }
}
