using System.Net;
using System.Net.Sockets;

namespace Mesh.Testing;

/// <summary>A base port with the demo's 60 ports free, below Linux's ephemeral range so outgoing connections do not take them.</summary>
public static class PortRange
{
    private static int _next = 20000 + (Environment.ProcessId % 100 * 100);

    public static int Find()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var start = Interlocked.Add(ref _next, 100) % 12000 + 20000;
            if (Enumerable.Range(start, 60).All(IsFree))
            {
                return start;
            }
        }

        throw new InvalidOperationException("no 60 consecutive free ports between 20000 and 32000");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
