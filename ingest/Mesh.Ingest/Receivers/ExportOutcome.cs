namespace Mesh.Ingest.Receivers;

/// <summary>What happened to one export request; each protocol maps it to its own status codes.</summary>
internal enum ExportStatus
{
    /// <summary>Durably spooled (maybe with some items rejected: see the partial-success fields).</summary>
    Accepted,

    /// <summary>The request is malformed: the client must not retry it.</summary>
    BadRequest,

    /// <summary>The body is over the size limit, compressed or not.</summary>
    TooLarge,

    /// <summary>The spool is full: retry after <see cref="ExportOutcome.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>Ingest is shutting down: retry elsewhere or later.</summary>
    Unavailable,
}

/// <summary>The result of handling one export request.</summary>
internal readonly record struct ExportOutcome(
    ExportStatus Status,
    string Message,
    long Rejected = 0,
    TimeSpan RetryAfter = default)
{
    public static ExportOutcome Bad(string message) => new(ExportStatus.BadRequest, message);

    public static ExportOutcome Large(string message) => new(ExportStatus.TooLarge, message);
}
