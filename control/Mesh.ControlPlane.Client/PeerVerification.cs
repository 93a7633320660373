namespace Mesh.ControlPlane.Client;

/// <summary>The outcome of verifying a peer certificate: its identity when it has one, and why it was refused.</summary>
public sealed record PeerVerification(bool Valid, string? Identity, string? Error);
