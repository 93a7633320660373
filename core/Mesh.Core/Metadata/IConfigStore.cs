namespace Mesh.Core.Metadata;

/// <summary>
/// Declarative resources and their revisions. A commit is atomic: the resources, the revision record and
/// the head move together or not at all.
/// </summary>
public interface IConfigStore
{
    /// <summary>The newest revision number; 0 before the first commit.</summary>
    ValueTask<long> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>Every current resource, ordered by kind, namespace, name.</summary>
    ValueTask<IReadOnlyList<StoredResource>> ListResourcesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="commit"/> as revision <c>ExpectedHead + 1</c>.
    /// Throws <see cref="RevisionConflictException"/> when the head has moved since the caller read it.
    /// </summary>
    ValueTask<ConfigRevision> CommitAsync(ConfigCommit commit, CancellationToken cancellationToken);

    /// <summary>Revisions newest first, without their snapshots.</summary>
    ValueTask<IReadOnlyList<ConfigRevision>> ListRevisionsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>One revision with its snapshot (the full resource set after it), or null when there is none.</summary>
    ValueTask<ConfigRevision?> GetRevisionAsync(long revision, CancellationToken cancellationToken);
}
