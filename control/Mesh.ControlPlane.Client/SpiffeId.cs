namespace Mesh.ControlPlane.Client;

/// <summary>Mesh workload identities: <c>spiffe://&lt;trust-domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service&gt;</c>.</summary>
public static class SpiffeId
{
    public static string For(string trustDomain, string ns, string service) => $"spiffe://{trustDomain}/ns/{ns}/sa/{service}";

    /// <summary>The namespace of a mesh identity, or null when <paramref name="id"/> is not one.</summary>
    public static string? NamespaceOf(string id)
    {
        var parts = id.StartsWith("spiffe://", StringComparison.Ordinal) ? id["spiffe://".Length..].Split('/') : [];
        return parts is [_, "ns", var ns, "sa", _] ? ns : null;
    }
}
