namespace Mesh.ControlPlane.Identity;

/// <summary>Where the mesh CA keeps its root, or an external root to use instead, and how long workload certificates live.</summary>
public sealed record CaOptions
{
    /// <summary>Directory for <c>root.crt</c> and <c>root.key</c> (created on first run).</summary>
    public required string Directory { get; init; }

    /// <summary>External root certificate (PEM); with <see cref="ExternalKeyFile"/> it replaces the generated root.</summary>
    public string? ExternalCertificateFile { get; init; }

    public string? ExternalKeyFile { get; init; }

    public string TrustDomain { get; init; } = "mesh.local";

    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromHours(24);
}
