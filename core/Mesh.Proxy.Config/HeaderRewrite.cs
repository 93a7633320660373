namespace Mesh.Proxy.Config;

/// <summary>Header manipulation applied in order: remove, then set (replace), then add (append).</summary>
public sealed record HeaderRewrite
{
    public IReadOnlyList<string> Remove { get; init; } = [];

    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Add { get; init; } = new Dictionary<string, string>();
}
