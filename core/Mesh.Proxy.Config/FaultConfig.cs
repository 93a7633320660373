namespace Mesh.Proxy.Config;

/// <summary>Fault injection for chaos testing: delay and/or abort a percentage of requests.</summary>
public sealed record FaultConfig
{
    public FaultDelay? Delay { get; init; }

    public FaultAbort? Abort { get; init; }

    /// <summary>Only requests matching every one of these headers are subject to the fault.</summary>
    public IReadOnlyList<ValueMatch> Headers { get; init; } = [];
}
