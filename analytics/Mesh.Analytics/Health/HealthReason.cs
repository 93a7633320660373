namespace Mesh.Analytics.Health;

/// <summary>One finding behind a health verdict: what was measured, against which threshold, and what it made the state.</summary>
/// <param name="Code">error_rate, latency, rejections or anomaly.</param>
public sealed record HealthReason(string Code, HealthState State, double Value, double Threshold, string Message);
