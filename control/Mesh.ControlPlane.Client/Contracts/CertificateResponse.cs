namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A signed workload certificate (PEM), the trust root (PEM), its SPIFFE id and validity.</summary>
public sealed record CertificateResponse(string Certificate, string TrustRoot, string SpiffeId, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
