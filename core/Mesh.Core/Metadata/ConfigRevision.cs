namespace Mesh.Core.Metadata;

/// <summary>A recorded config revision. <see cref="Snapshot"/> is null in listings and set when one revision is read.</summary>
public sealed record ConfigRevision(long Number, string Author, DateTimeOffset At, string Message, string Diff, string? Snapshot);
