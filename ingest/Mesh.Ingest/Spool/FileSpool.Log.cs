using Microsoft.Extensions.Logging;

namespace Mesh.Ingest.Spool;

/// <summary>The spool's log messages.</summary>
public sealed partial class FileSpool
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Spool opened in {Directory}: {UndrainedBytes} bytes to replay in {Segments} segments")]
    private static partial void LogOpened(ILogger logger, string directory, long undrainedBytes, int segments);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Spool segment {Path}: cut a torn tail of {Bytes} bytes at offset {Offset} (a write that was never acknowledged)")]
    private static partial void LogTornTail(ILogger logger, string path, long offset, long bytes);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Spool segment {Path}: skipped {Bytes} damaged bytes at offset {Offset}")]
    private static partial void LogDamaged(ILogger logger, string path, long offset, long bytes);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Spool checkpoint is damaged; every segment left is replayed")]
    private static partial void LogCheckpointDamaged(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Spool checkpoint at position {Checkpoint} is past the end of the spool's data at {End}; continuing from the checkpoint")]
    private static partial void LogCheckpointAhead(ILogger logger, long checkpoint, long end);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "Spool write failed; appends are refused until the spool is reopened")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Could not delete drained spool segment {Path}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, Exception exception);
}
