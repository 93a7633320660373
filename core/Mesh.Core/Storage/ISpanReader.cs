using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>Reads spans and trace summaries. Returned objects belong to the caller.</summary>
public interface ISpanReader
{
    /// <summary>Every stored span of the trace, ordered by start time; empty when the trace is unknown.</summary>
    ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken);

    /// <summary>
    /// Summaries of the traces that hold at least one span matching every criterion of
    /// <paramref name="query"/>, newest first, at most <see cref="TraceQuery.Limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<TraceSummary>> FindTracesAsync(TraceQuery query, CancellationToken cancellationToken);

    /// <summary>Names of every service that has stored spans, sorted.</summary>
    ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken);

    /// <summary>Distinct span names (with their kinds) of one service, sorted by name.</summary>
    ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken);

    /// <summary>
    /// The busiest operations of one service: per span name, the requests it served that start in the query's window,
    /// how many failed (as <c>SpanFacts.IsError</c>: status ERROR, HTTP 5xx, gRPC non-OK) and their p99 duration;
    /// most requests first (ties by name), at most <see cref="OperationStatsQuery.Limit"/>.
    /// </summary>
    /// <remarks>
    /// A request is a SERVER span of the service. A request into a meshed service is seen twice, by its inbound
    /// sidecar and by the app's own SDK server span below it, so when the service has mesh proxy server spans
    /// (<c>mesh.direction</c> inbound or ingress) in the window only those count; otherwise its SDK server spans do.
    /// Reads raw spans along the (service, start time) order, never the whole store; empty when the window is empty.
    /// </remarks>
    /// <exception cref="ArgumentException">The query fails <see cref="OperationStatsQuery.Validate"/>.</exception>
    ValueTask<IReadOnlyList<OperationStats>> GetTopOperationsAsync(OperationStatsQuery query, CancellationToken cancellationToken);
}
