using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>Writes log records to a store.</summary>
public interface ILogWriter
{
    /// <summary>
    /// Stores <paramref name="logs"/> and returns once they are durable in the store.
    /// Idempotent: a record is identified by <see cref="LogRecord.LogId"/>; with <see cref="WriteMode.Replay"/>
    /// a record that is already stored is not stored again. Throws <see cref="StoreUnavailableException"/>
    /// when the store cannot be reached.
    /// </summary>
    ValueTask WriteLogsAsync(IReadOnlyList<LogRecord> logs, WriteMode mode, CancellationToken cancellationToken);
}
