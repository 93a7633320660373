namespace Mesh.Proxy.Config;

/// <summary>TLS on a listener (server certificate) or toward a cluster (client certificate, trust).</summary>
public sealed record TlsConfig
{
    /// <summary>PEM certificate chain file.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>PEM bundle of trusted CAs for the peer; when set on a listener, clients must present a certificate (mTLS).</summary>
    public string? CaFile { get; init; }

    /// <summary>Cluster side: skip server certificate validation (tests only).</summary>
    public bool InsecureSkipVerify { get; init; }
}
