namespace Mesh.Proxy;

/// <summary>
/// Time and randomness for every decision the proxy makes (balancing, budgets, ejection, sampling, faults), injected
/// so tests drive them on virtual time with seeded randomness.
/// </summary>
public sealed record ProxyEnvironment
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Must be thread-safe when the proxy serves concurrent requests (<see cref="Random.Shared"/> is).</summary>
    public Random Random { get; init; } = Random.Shared;
}
