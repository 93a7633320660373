using System.Security.Cryptography.X509Certificates;

namespace Mesh.Proxy.Identity;

/// <summary>
/// The proxy's mesh identity, held in memory and swapped whole on rotation (one volatile write). Every new TLS
/// handshake, inbound or outbound, reads <see cref="Current"/>; connections already open keep the certificate they
/// were made with, so a rotation drops neither in-flight nor new requests. <see cref="Rotated"/> tells the
/// outbound pools to renew, so pooled connections do not go on presenting the old certificate.
/// </summary>
public sealed class WorkloadIdentity
{
    private volatile WorkloadCertificate _current;
    private long _rotations;

    public WorkloadIdentity(WorkloadCertificate initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    public WorkloadCertificate Current => _current;

    /// <summary>Raised after each rotation, on the rotating thread.</summary>
    public event Action<WorkloadCertificate>? Rotated;

    /// <summary>How many times a certificate replaced the previous one.</summary>
    public long Rotations => Interlocked.Read(ref _rotations);

    /// <summary>Static mode: the PEM certificate, key and trust root of the config's <c>mtls</c> section.</summary>
    public static WorkloadIdentity FromFiles(string certificateFile, string keyFile, string caFile)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        var root = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        return new WorkloadIdentity(new WorkloadCertificate(certificate, root));
    }

    public void Rotate(WorkloadCertificate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _current = next;
        Interlocked.Increment(ref _rotations);
        Rotated?.Invoke(next);

        // The previous certificate is not disposed: handshakes that read it a moment ago may still be using it.
    }
}
