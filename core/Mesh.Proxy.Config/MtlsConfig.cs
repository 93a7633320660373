namespace Mesh.Proxy.Config;

/// <summary>
/// Mesh mTLS: the inbound mode and the trust domain of identities. Certificates come from files here (static
/// mode) or, under the control plane, from the proxy's in-memory rotating certificate (then the files stay unset).
/// </summary>
public sealed record MtlsConfig
{
    public MtlsMode Mode { get; init; } = MtlsMode.Strict;

    public string TrustDomain { get; init; } = "mesh.local";

    /// <summary>PEM workload certificate (with a <c>spiffe://</c> URI SAN).</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>PEM mesh trust root.</summary>
    public string? CaFile { get; init; }
}
