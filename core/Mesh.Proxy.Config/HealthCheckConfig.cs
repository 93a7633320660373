namespace Mesh.Proxy.Config;

/// <summary>Active HTTP health checks: GET <see cref="Path"/> on every endpoint each interval; 2xx is healthy.</summary>
public sealed record HealthCheckConfig
{
    public string Path { get; init; } = "/healthz";

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    public int HealthyThreshold { get; init; } = 2;

    public int UnhealthyThreshold { get; init; } = 3;
}
