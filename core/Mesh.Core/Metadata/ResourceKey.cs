namespace Mesh.Core.Metadata;

/// <summary>Identifies a resource: kind, namespace and name (case-sensitive).</summary>
public readonly record struct ResourceKey(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}
