namespace Mesh.Core.Metadata;

/// <summary>Per-endpoint routing decisions (weight overrides, ejections) set by operators or the analytics loop.</summary>
public interface IRoutingDecisionStore
{
    /// <summary>Stores a decision and returns it with its assigned id (the given id is ignored).</summary>
    ValueTask<RoutingDecisionRecord> AddAsync(RoutingDecisionRecord decision, CancellationToken cancellationToken);

    /// <summary>Decisions neither cleared nor expired at <paramref name="now"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<RoutingDecisionRecord>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The newest decisions whatever their state, newest first.</summary>
    ValueTask<IReadOnlyList<RoutingDecisionRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Clears an active decision; false when it is unknown or already cleared.</summary>
    ValueTask<bool> ClearAsync(long id, string clearedBy, DateTimeOffset at, CancellationToken cancellationToken);
}
