namespace Mesh.Ingest.Spool;

/// <summary>
/// One record read back from the spool. <see cref="Payload"/> belongs to the <see cref="SpoolBatch"/> it came in
/// and is valid until that batch is disposed.
/// </summary>
/// <param name="Id">Unique across the spool's lifetime and stable across replays (logs derive their ids from it).</param>
/// <param name="Position">The spool position of the record's first byte.</param>
/// <param name="Replayed">The record was in the spool when it was opened, so it may already be in the store.</param>
internal readonly record struct SpoolRecord(SignalType Type, ulong Id, long Position, int Length, ReadOnlyMemory<byte> Payload, bool Replayed);
