using Mesh.Core.Telemetry;

namespace Mesh.Ingest.Pipeline;

/// <summary>What one store write carries: the converted items of consecutive spool records, and where they end.</summary>
internal sealed class DrainBatch
{
    public List<Span> Spans { get; } = [];

    public List<LogRecord> Logs { get; } = [];

    /// <summary>Trace requests kept as spooled, for a store that writes OTLP bytes itself (<c>IOtlpSpanWriter</c>).</summary>
    public List<ReadOnlyMemory<byte>> SpanRequests { get; } = [];

    /// <summary>Spans in <see cref="SpanRequests"/>.</summary>
    public int RequestSpans { get; set; }

    /// <summary>Where <see cref="SpanRequests"/> live.</summary>
    public ByteArena Arena { get; } = new();

    public int SpanCount => Spans.Count + RequestSpans;

    public int Records { get; set; }

    public long Bytes { get; set; }

    public int Items => Spans.Count + RequestSpans + Logs.Count;

    /// <summary>Some record came from before the spool opened, so the store may hold part of the batch already.</summary>
    public bool Replayed { get; set; }

    public long StartPosition { get; private set; }

    /// <summary>The spool position to commit once the store has the batch.</summary>
    public long EndPosition { get; set; }

    /// <summary>Nothing read yet: not even damaged or unparseable records whose skipping needs committing.</summary>
    public bool IsEmpty => EndPosition == StartPosition;

    public void Reset(long position)
    {
        Spans.Clear();
        Logs.Clear();
        SpanRequests.Clear();
        RequestSpans = 0;
        Arena.Reset();
        Records = 0;
        Bytes = 0;
        Replayed = false;
        StartPosition = position;
        EndPosition = position;
    }
}
