namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>The namespace's mTLS mode (<c>STRICT</c> or <c>PERMISSIVE</c>) and the trust domain of mesh identities.</summary>
public sealed record MtlsView(string Mode, string TrustDomain);
