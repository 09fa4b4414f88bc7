namespace AirQuality.Host;

/// <summary>The embedded silo (configuration section "Orleans"): one process, localhost clustering.</summary>
public sealed class SiloOptions
{
    public const string Section = "Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "airquality-local";

    public string ServiceId { get; set; } = "airquality";

    public IEnumerable<string> Problems()
    {
        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535 || SiloPort == GatewayPort)
        {
            yield return "Orleans:SiloPort and Orleans:GatewayPort must be different ports 1-65535";
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return "Orleans:ClusterId and Orleans:ServiceId must not be empty";
        }
    }
}
