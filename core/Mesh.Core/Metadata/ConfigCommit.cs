namespace Mesh.Core.Metadata;

/// <summary>
/// One atomic config change. <see cref="Upserts"/> and <see cref="Deletes"/> move the current resources;
/// <see cref="Snapshot"/> (JSON of the whole set after the change) and <see cref="Diff"/> (JSON) are kept with
/// the revision so any revision can be inspected and rolled back to.
/// </summary>
public sealed record ConfigCommit(
    long ExpectedHead,
    string Author,
    DateTimeOffset At,
    string Message,
    IReadOnlyList<StoredResource> Upserts,
    IReadOnlyList<ResourceKey> Deletes,
    string Diff,
    string Snapshot);
