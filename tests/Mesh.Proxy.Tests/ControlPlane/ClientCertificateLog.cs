using System.Diagnostics;

namespace Mesh.Proxy.Tests.ControlPlane;

/// <summary>What a recording mTLS app saw: per request, its time (Stopwatch ticks), the client certificate's thumbprint and the connection.</summary>
internal sealed class ClientCertificateLog
{
    private readonly List<(long At, string Thumbprint, string Connection)> _entries = [];

    public void Add(string thumbprint, string connection)
    {
        var at = Stopwatch.GetTimestamp();
        lock (_entries)
        {
            _entries.Add((at, thumbprint, connection));
        }
    }

    public IReadOnlyList<(long At, string Thumbprint, string Connection)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }
}
