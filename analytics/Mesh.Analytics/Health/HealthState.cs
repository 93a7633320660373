namespace Mesh.Analytics.Health;

/// <summary>The verdict on a node or edge, worst last.</summary>
public enum HealthState
{
    NoTraffic = 0,
    Healthy = 1,
    Degraded = 2,
    Failing = 3,
}
