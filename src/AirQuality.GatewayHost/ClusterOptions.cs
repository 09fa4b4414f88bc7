using System.Net;

namespace AirQuality.GatewayHost;

/// <summary>
/// Which cluster the gateway joins as a client (configuration section "Cluster"). The defaults reach the
/// embedded host's silo on this machine (its Orleans section's defaults), so both run side by side locally.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>
    /// Silo gateway endpoints, "host:port" (an IP address or a name resolved at start). The client spreads its
    /// connections over them and follows the cluster as silos come and go. Default 127.0.0.1:30000.
    /// </summary>
    public List<string> Gateways { get; set; } = [];

    public string ClusterId { get; set; } = "airquality-local";

    public string ServiceId { get; set; } = "airquality";

    /// <summary>
    /// How long start-up keeps trying to reach the cluster (silos may start after the gateway) before the
    /// process gives up with an error. Default 2 minutes.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The gateway endpoints, "127.0.0.1:30000" when none is configured.</summary>
    public IReadOnlyList<string> GatewaysOrDefault => Gateways.Count > 0 ? Gateways : ["127.0.0.1:30000"];

    public IEnumerable<string> Problems()
    {
        foreach (var gateway in GatewaysOrDefault)
        {
            if (!TrySplit(gateway, out _, out _))
            {
                yield return $"Cluster:Gateways: '{gateway}' is not host:port with a port 1-65535";
            }
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return "Cluster:ClusterId and Cluster:ServiceId must not be empty";
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            yield return "Cluster:ConnectTimeout must be positive";
        }
    }

    /// <summary>The endpoints, names resolved now (IPv4 first: silos here listen on IPv4).</summary>
    public IPEndPoint[] ResolveGateways()
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in GatewaysOrDefault)
        {
            if (!TrySplit(gateway, out var host, out var port))
            {
                throw new InvalidOperationException($"Cluster:Gateways: '{gateway}' is not host:port");
            }

            var address = IPAddress.TryParse(host, out var ip)
                ? ip
                : Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).First();
            endpoints.Add(new IPEndPoint(address, port));
        }

        return [.. endpoints];
    }

    private static bool TrySplit(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port))
        {
            return false;
        }

        host = value[..colon].Trim('[', ']');
        return port is >= 1 and <= 65535 && host.Length > 0;
    }
}
