namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A PKCS#10 CSR (PEM) for the workload identity of <see cref="Service"/> in <see cref="Namespace"/>.</summary>
public sealed record CertificateRequest(string Csr, string Namespace, string Service);
