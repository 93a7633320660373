using System.Buffers;
using Mesh.Core.Telemetry;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// The order a batch's spans are inserted in: grouped by trace, so each trace's spans take consecutive row ids and
/// one trace_runs entry covers them. Traces keep the place of their first span and spans their batch order: a batch
/// arrives roughly in time order, and inserting it so keeps the time indexes' inserts at their right edge. Sorting
/// the batch by trace id instead scattered those inserts: measured, that cost as much as trace_runs itself
/// (about 2 µs per span at 1M spans).
/// </summary>
internal readonly struct TraceOrder : IDisposable
{
    /// <summary>Per position: the batch index of the trace's first span in the high half, the span's own in the low.</summary>
    private readonly long[] _keys;

    private TraceOrder(long[] keys, int count)
    {
        _keys = keys;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Index into the batch of the <paramref name="position"/>-th span to insert.</summary>
    public int this[int position] => (int)(_keys[position] & uint.MaxValue);

    public static TraceOrder Of(SpanRows spans)
    {
        var keys = ArrayPool<long>.Shared.Rent(spans.Count);
        var firstSpan = new Dictionary<TraceId, int>();
        for (var i = 0; i < spans.Count; i++)
        {
            if (!firstSpan.TryGetValue(spans[i].TraceId, out var first))
            {
                first = i;
                firstSpan.Add(spans[i].TraceId, i);
            }

            keys[i] = ((long)first << 32) | (uint)i;
        }

        keys.AsSpan(0, spans.Count).Sort();
        return new TraceOrder(keys, spans.Count);
    }

    public void Dispose() => ArrayPool<long>.Shared.Return(_keys);
}
