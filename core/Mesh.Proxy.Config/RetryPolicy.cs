namespace Mesh.Proxy.Config;

/// <summary>Retries with exponential backoff and full jitter, bounded by a budget shared by the cluster.</summary>
public sealed record RetryPolicy
{
    /// <summary>Total tries including the first.</summary>
    public int Attempts { get; init; } = 2;

    public IReadOnlyList<RetryOn> On { get; init; } = [RetryOn.GatewayError, RetryOn.ConnectFailure, RetryOn.Reset];

    /// <summary>Deadline of each try (headers received); null means only the route timeout applies.</summary>
    public TimeSpan? PerTryTimeout { get; init; }

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>gRPC status codes retried under <see cref="RetryOn.RetriableGrpc"/> (default UNAVAILABLE).</summary>
    public IReadOnlyList<int> GrpcStatusCodes { get; init; } = [14];

    public RetryBudget Budget { get; init; } = new();
}
