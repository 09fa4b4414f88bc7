using System.Net;
using System.Net.Sockets;

namespace AirQuality.Testing;

/// <summary>Ports on 127.0.0.1 that nothing listens on, for hosts and clients that need a port of their own.</summary>
public static class LoopbackPorts
{
    /// <summary>A port that was free a moment ago: nothing listens there now (until something takes it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Two free loopback ports, both held while the second is chosen so they cannot be the same one.</summary>
    public static (int First, int Second) FreePair()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }

    /// <summary>Whether <paramref name="port"/> can be listened on at 127.0.0.1 now (nothing in this process holds it).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
