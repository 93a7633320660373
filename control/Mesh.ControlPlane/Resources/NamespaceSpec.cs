namespace Mesh.ControlPlane.Resources;

/// <summary>Namespace-wide settings: the mTLS mode of its proxies and whether requests are denied unless a policy allows them.</summary>
internal sealed record NamespaceSpec
{
    /// <summary><c>STRICT</c> (mTLS only) or <c>PERMISSIVE</c> (mTLS and plaintext).</summary>
    public string Mtls { get; init; } = "STRICT";

    public bool DefaultDeny { get; init; }
}
