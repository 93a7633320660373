namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A proxy registering one instance of its service, alive for <see cref="TtlSeconds"/> unless renewed.</summary>
public sealed record RegisterEndpointRequest
{
    public required string Namespace { get; init; }

    public required string Service { get; init; }

    public required string Address { get; init; }

    public required int Port { get; init; }

    public string? Version { get; init; }

    public int Weight { get; init; } = 100;

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public required string ProxyId { get; init; }

    public int TtlSeconds { get; init; } = 30;
}
