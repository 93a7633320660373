namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>One line of the watch stream (NDJSON): <c>snapshot</c> with <see cref="Snapshot"/>, or <c>ping</c> to keep the stream alive.</summary>
public sealed record WatchMessage(string Type, ProxySnapshot? Snapshot);
