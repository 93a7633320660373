using System.Buffers;
using Mesh.Core.Telemetry;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// The order a batch's spans are inserted in: grouped by trace, traces by (trace_key, low half of the id), spans
/// of one trace in batch order. Each trace's spans then take consecutive row ids, so one trace_runs entry covers
/// them, and the entries go into trace_runs in key order.
/// </summary>
internal readonly struct TraceOrder : IDisposable
{
    private readonly Entry[] _entries;

    private TraceOrder(Entry[] entries, int count)
    {
        _entries = entries;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Index into the batch of the <paramref name="position"/>-th span to insert.</summary>
    public int this[int position] => _entries[position].Index;

    public static TraceOrder Of(IReadOnlyList<Span> spans)
    {
        var entries = ArrayPool<Entry>.Shared.Rent(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            var id = spans[i].TraceId;
            entries[i] = new Entry(TraceKey.Of(id), id.Low, i);
        }

        // The index breaks ties, so the unstable sort keeps batch order within a trace.
        entries.AsSpan(0, spans.Count).Sort(default(EntryComparer));
        return new TraceOrder(entries, spans.Count);
    }

    public void Dispose() => ArrayPool<Entry>.Shared.Return(_entries);

    private readonly record struct Entry(long Key, ulong Low, int Index);

    private readonly struct EntryComparer : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            var c = x.Key.CompareTo(y.Key);
            if (c == 0)
            {
                c = x.Low.CompareTo(y.Low);
            }

            return c != 0 ? c : x.Index.CompareTo(y.Index);
        }
    }
}
