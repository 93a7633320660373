namespace Mesh.Core.Metadata;

/// <summary>A commit expected a head revision that has since moved: someone else committed first; re-read and retry.</summary>
public sealed class RevisionConflictException : Exception
{
    public RevisionConflictException()
    {
    }

    public RevisionConflictException(string message)
        : base(message)
    {
    }

    public RevisionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
