namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A proxy's answer to a snapshot: ACK (no <see cref="Error"/>) or NACK with the reason it refused it.</summary>
public sealed record AckRequest(long Version, string? Error);
