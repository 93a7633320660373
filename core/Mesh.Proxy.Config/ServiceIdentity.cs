namespace Mesh.Proxy.Config;

/// <summary>Who the proxy speaks for: the resource of its telemetry and the source of its outbound calls.</summary>
public sealed record ServiceIdentity
{
    public string Name { get; init; } = "unknown";

    public string? Version { get; init; }

    public string? Namespace { get; init; }

    /// <summary>Instance id (service.instance.id); defaults to host name and process id.</summary>
    public string? InstanceId { get; init; }
}
