namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>
/// A PKCS#10 CSR (PEM) for the workload identity of <see cref="Service"/> in <see cref="Namespace"/>;
/// <see cref="TtlSeconds"/> asks for a shorter life than the CA's default (never a longer one).
/// </summary>
public sealed record CertificateRequest(string Csr, string Namespace, string Service, int? TtlSeconds = null);
