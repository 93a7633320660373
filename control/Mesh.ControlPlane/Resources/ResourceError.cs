namespace Mesh.ControlPlane.Resources;

/// <summary>One reason a resource was refused: which resource, which field (<c>spec.routes[2].split</c>) and why.</summary>
public sealed record ResourceError(string Resource, string Path, string Message)
{
    public override string ToString() =>
        (Resource.Length == 0 ? "" : Resource + " ") + (Path.Length == 0 ? Message : $"{Path}: {Message}");
}
