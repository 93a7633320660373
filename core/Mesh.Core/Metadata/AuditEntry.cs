namespace Mesh.Core.Metadata;

/// <summary>One audit record; <see cref="Id"/> is assigned by the store (0 when appending).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Target, string Detail);
