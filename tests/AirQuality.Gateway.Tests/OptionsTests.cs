using Microsoft.Extensions.Options;

namespace AirQuality.Gateway.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Limits_are_checked_at_start_and_every_problem_is_named()
    {
        var problems = new GatewayOptions { MaxPageSize = 900, DefaultPageSize = 0, ExecutionTimeout = TimeSpan.Zero }.Problems().ToList();
        Assert.Contains(problems, p => p.StartsWith("Gateway:MaxPageSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:DefaultPageSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:ExecutionTimeout", StringComparison.Ordinal));
        Assert.Empty(new GatewayOptions().Problems());
    }

    [Fact]
    public async Task A_host_with_a_bad_gateway_setting_does_not_start()
    {
        await using var host = new HostFactory(new Dictionary<string, string> { ["Gateway:MaxPageSize"] = "900" });
        var failure = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("Gateway:MaxPageSize", (failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException)?.Message ?? failure.ToString(), StringComparison.Ordinal);
    }
}
