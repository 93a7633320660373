namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>A granted lease: renew before <see cref="ExpiresAt"/> (a third of the TTL is a good interval).</summary>
public sealed record LeaseView(string Id, DateTimeOffset ExpiresAt, int TtlSeconds);
