namespace Mesh.Proxy.Config;

/// <summary>One problem in a configuration: the field path (e.g. <c>routes[2].split</c>) and why it is wrong.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
