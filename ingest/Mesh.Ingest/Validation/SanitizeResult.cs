namespace Mesh.Ingest.Validation;

/// <summary>
/// The verdict on one request: <see cref="Error"/> rejects it whole (HTTP 400 / INVALID_ARGUMENT);
/// otherwise <see cref="Rejected"/> items were dropped (reported as partial success) and the rest accepted.
/// </summary>
internal readonly record struct SanitizeResult(string? Error, long Accepted, long Rejected, string? RejectedMessage, bool Modified)
{
    public static SanitizeResult Invalid(string error) => new(error, 0, 0, null, false);
}
