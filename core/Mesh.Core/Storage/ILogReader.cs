using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>Reads log records. Returned objects belong to the caller.</summary>
public interface ILogReader
{
    /// <summary>Records matching every criterion of <paramref name="query"/>, newest first, at most <see cref="LogQuery.Limit"/>.</summary>
    ValueTask<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken);
}
