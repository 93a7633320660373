namespace Mesh.Core.Metadata;

/// <summary>An append-only log of who changed what.</summary>
public interface IAuditLog
{
    ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest entries, newest first.</summary>
    ValueTask<IReadOnlyList<AuditEntry>> ListAsync(int limit, CancellationToken cancellationToken);
}
