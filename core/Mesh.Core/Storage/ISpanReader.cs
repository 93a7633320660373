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
}
