namespace Mesh.Proxy.Config;

/// <summary>
/// Linkerd-style budget: retries may add at most <see cref="Ratio"/> of the requests seen in the last
/// <see cref="Window"/>, plus <see cref="MinRetriesPerSecond"/> so low traffic can still retry.
/// </summary>
public sealed record RetryBudget
{
    public double Ratio { get; init; } = 0.2;

    public int MinRetriesPerSecond { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);
}
