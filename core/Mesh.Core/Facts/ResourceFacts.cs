namespace Mesh.Core.Facts;

/// <summary>What rollups read of a span's resource: who sent it, and whether a mesh proxy did.</summary>
public sealed record ResourceFacts
{
    public static ResourceFacts Unknown { get; } = new();

    /// <summary>The last non-empty <c>service.name</c>; <c>unknown_service</c> when there is none.</summary>
    public string Service { get; init; } = "unknown_service";

    public string Version { get; init; } = string.Empty;

    public string Namespace { get; init; } = string.Empty;

    /// <summary><c>mesh.proxy</c> is "true".</summary>
    public bool IsProxy { get; init; }
}
