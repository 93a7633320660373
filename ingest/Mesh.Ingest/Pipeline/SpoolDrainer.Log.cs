using Mesh.Ingest.Spool;
using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Pipeline;

/// <summary>The drainer's log messages.</summary>
public sealed partial class SpoolDrainer
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Store {Store} unavailable (attempt {Attempt}); retrying the batch in {Delay}")]
    private static partial void LogStoreUnavailable(ILogger logger, string store, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Writing a batch to store {Store} failed (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogWriteFailed(ILogger logger, string store, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Skipped spool record {RecordId} ({Type}) at position {Position}: its payload could not be converted")]
    private static partial void LogRecordSkipped(ILogger logger, ulong recordId, SignalType type, long position, Exception exception);

    [LoggerMessage(EventId = 25, Level = LogLevel.Error, Message = "The {Store} store skipped {Count} spooled trace request(s) of a batch: they do not parse")]
    private static partial void LogRequestsSkipped(ILogger logger, string store, int count);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Reading the spool failed; starting again from the last commit")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "Committing the spool position failed; the batch is in the store and will be replayed if the process restarts first")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 25, Level = LogLevel.Information, Message = "Spool drainer stopped with {UndrainedBytes} bytes left to replay on the next start")]
    private static partial void LogStopped(ILogger logger, long undrainedBytes);
}
