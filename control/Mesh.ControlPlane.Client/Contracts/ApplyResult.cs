namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>The outcome of an apply, delete or rollback: the new revision (unchanged when nothing changed) and what moved.</summary>
public sealed record ApplyResult(long Revision, bool DryRun, IReadOnlyList<ResourceChange> Changes);
