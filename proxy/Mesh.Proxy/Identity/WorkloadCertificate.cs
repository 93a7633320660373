using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Proxy.Identity;

/// <summary>One issued workload certificate with the trust root it chains to, ready for TLS on both sides.</summary>
public sealed class WorkloadCertificate
{
    public WorkloadCertificate(X509Certificate2 certificate, X509Certificate2 trustRoot)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustRoot);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("the workload certificate needs its private key", nameof(certificate));
        }

        Certificate = certificate;
        TrustRoot = trustRoot;
        SpiffeId = Mesh.ControlPlane.Client.MeshCertificates.SpiffeIdOf(certificate);

        // Built once per certificate, not per handshake; offline: the chain is the leaf and the mesh root.
        Context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 TrustRoot { get; }

    public string? SpiffeId { get; }

    public SslStreamCertificateContext Context { get; }

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime());
}
