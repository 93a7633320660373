namespace Mesh.Analytics.Edges;

/// <summary>Settings of <see cref="EdgeExtractor"/>.</summary>
public sealed record EdgeExtractorOptions
{
    /// <summary>
    /// How long a span waits for its partner (an SDK server span for its client, an inbound proxy span for a mesh
    /// outbound parent). SDK exporters batch for up to 5 s by default, so the partner can lag that much and more.
    /// </summary>
    public TimeSpan PairingWindow { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Spans waiting at most; beyond it the oldest are settled early (and counted), bounding memory.</summary>
    public int MaxPending { get; init; } = 200_000;

    public void Validate()
    {
        if (PairingWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PairingWindow), PairingWindow, "must be positive");
        }

        if (MaxPending < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPending), MaxPending, "must be at least 1");
        }
    }
}
