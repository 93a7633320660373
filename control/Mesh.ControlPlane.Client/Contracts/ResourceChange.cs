namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>One resource touched by a change; <see cref="Action"/> is created, updated, unchanged or deleted.</summary>
public sealed record ResourceChange(string Kind, string Namespace, string Name, string Action);
