using Mesh.Core.Metadata;

namespace Mesh.Metadata.Relational;

internal sealed class RelationalAuditLog(Db db) : IAuditLog
{
    public async ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await db.ExecuteAsync(
            Sql.AuditInsert,
            cancellationToken,
            ("@at", Rows.Ms(entry.At)), ("@actor", entry.Actor), ("@action", entry.Action), ("@target", entry.Target), ("@detail", entry.Detail)).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<AuditEntry>> ListAsync(int limit, CancellationToken cancellationToken) =>
        db.QueryAsync(
            Sql.AuditSelect,
            r => new AuditEntry(Rows.Long(r, 0), Rows.Time(r, 1), Rows.Text(r, 2), Rows.Text(r, 3), Rows.Text(r, 4), Rows.Text(r, 5)),
            cancellationToken,
            ("@limit", (long)Math.Max(1, limit)));
}
