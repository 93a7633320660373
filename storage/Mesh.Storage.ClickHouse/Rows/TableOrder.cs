using Mesh.Core.Telemetry;

namespace Mesh.Storage.ClickHouse.Rows;

/// <summary>
/// Puts a batch in its table's sort order before it is sent. MergeTree sorts every inserted block by
/// the table's key; a block that arrives sorted is detected and skips the permutation of every column,
/// which is a fifth of the server's cost for a wide spans block, for a sort of references here.
/// </summary>
internal static class TableOrder
{
    /// <summary>(service, second) order, as the spans and logs tables' <c>ORDER BY (service, timestamp)</c>.</summary>
    public static T[] ByServiceAndSecond<T>(IReadOnlyList<T> rows, Func<T, Resource> resource, Func<T, long> unixNanos)
    {
        var ordered = new T[rows.Count];
        var keys = new ServiceSecond[rows.Count];
        Resource? lastResource = null;
        var service = string.Empty;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var rowResource = resource(row);
            if (!ReferenceEquals(rowResource, lastResource))
            {
                lastResource = rowResource;
                service = rowResource.ServiceName;
            }

            ordered[i] = row;
            keys[i] = new ServiceSecond(service, UnixTime.Seconds(unixNanos(row)));
        }

        Array.Sort(keys, ordered);
        return ordered;
    }

    /// <summary>(trace id, span id) order, as the trace-id lookup's <c>ORDER BY (trace_id, span_id)</c> on lower-case hex.</summary>
    public static Span[] ByTraceAndSpan(IReadOnlyList<Span> spans)
    {
        var ordered = new Span[spans.Count];
        var keys = new TraceSpan[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            ordered[i] = spans[i];
            keys[i] = new TraceSpan(spans[i].TraceId, spans[i].SpanId.Value);
        }

        Array.Sort(keys, ordered);
        return ordered;
    }

    private readonly record struct ServiceSecond(string Service, uint Second) : IComparable<ServiceSecond>
    {
        // Ordinal UTF-16 order equals ClickHouse's byte order except around surrogates; a block that is
        // not quite sorted is still stored right, the server just sorts it itself.
        public int CompareTo(ServiceSecond other)
        {
            var c = string.CompareOrdinal(Service, other.Service);
            return c != 0 ? c : Second.CompareTo(other.Second);
        }
    }

    private readonly record struct TraceSpan(TraceId TraceId, ulong SpanId) : IComparable<TraceSpan>
    {
        public int CompareTo(TraceSpan other)
        {
            var c = TraceId.CompareTo(other.TraceId);
            return c != 0 ? c : SpanId.CompareTo(other.SpanId);
        }
    }
}
