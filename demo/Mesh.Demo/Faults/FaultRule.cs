namespace Mesh.Demo.Faults;

/// <summary>
/// One injected fault: on requests to <see cref="Endpoint"/> (a route template such as <c>/products/{sku}</c>
/// or a concrete path), optionally only for one method, add latency and/or fail a share of them, until a time.
/// </summary>
internal sealed record FaultRule
{
    public required string Endpoint { get; init; }

    public string? Method { get; init; }

    public int LatencyMs { get; init; }

    public double ErrorRate { get; init; }

    public int ErrorStatus { get; init; } = 503;

    public DateTimeOffset? Until { get; init; }

    public bool IsActive(DateTimeOffset now) => Until is null || now < Until;
}
