namespace Mesh.Demo.Load;

/// <summary>What <c>mesh-demo load</c> was started with.</summary>
internal sealed record LoadOptions
{
    public required Uri Target { get; init; }

    public required LoadShape Shape { get; init; }

    public JourneyMix Mix { get; init; } = JourneyMix.Default;

    /// <summary>Most journeys in flight at once; journeys due beyond it are dropped and counted.</summary>
    public int MaxConcurrency { get; init; } = 64;

    /// <summary>Host header to send (an ingress routing by host); null sends the target's own.</summary>
    public string? HostHeader { get; init; }

    /// <summary>Port of the generator's own <c>/stats</c> and <c>/_demo/spike</c>; 0 serves none.</summary>
    public int AdminPort { get; init; }

    public string ListenAddress { get; init; } = "127.0.0.1";

    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(25);
}
