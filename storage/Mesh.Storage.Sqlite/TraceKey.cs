using System.Buffers.Binary;
using Mesh.Core.Telemetry;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// The integer trace_runs is keyed by: the trace id's high 8 bytes as a signed 64-bit integer. Two traces may
/// share a key, so a lookup by key always also matches the full trace id.
/// </summary>
internal static class TraceKey
{
    public static long Of(TraceId traceId) => unchecked((long)traceId.High);

    /// <summary>The key of a stored 16-byte big-endian trace id (the spans.trace_id blob).</summary>
    public static long Of(ReadOnlySpan<byte> traceId) =>
        traceId.Length >= sizeof(long) ? BinaryPrimitives.ReadInt64BigEndian(traceId) : 0;
}
