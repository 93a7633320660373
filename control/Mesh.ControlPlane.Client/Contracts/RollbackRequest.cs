namespace Mesh.ControlPlane.Client.Contracts;

/// <summary>Restores the resource set of <see cref="Revision"/> as a new revision.</summary>
public sealed record RollbackRequest(long Revision);
