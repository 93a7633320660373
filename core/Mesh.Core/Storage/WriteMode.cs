namespace Mesh.Core.Storage;

/// <summary>How sure the caller is that a batch has never reached the store before.</summary>
public enum WriteMode
{
    /// <summary>The batch has never been offered to the store: the writer may take the fast path.</summary>
    First = 0,

    /// <summary>
    /// The batch may have been written before, wholly or in part (a retry after a failed or timed-out
    /// write, or a spool replay after a crash): the writer must store only what is not there yet.
    /// </summary>
    Replay = 1,
}
