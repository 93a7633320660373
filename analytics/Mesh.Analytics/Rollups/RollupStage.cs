using Mesh.Analytics.Edges;
using Mesh.Core.Facts;
using Mesh.Core.Rollups;
using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Wire;
using Microsoft.Extensions.Logging;

namespace Mesh.Analytics.Rollups;

/// <summary>
/// Rollups at ingest: sees every stored batch (as the drainer's <see cref="IIngestBatchObserver"/>), extracts edge
/// samples, sums them in memory, and <see cref="FlushAsync"/> adds the sums to the rollup store. Incremental by
/// construction: history is never read back, each flush only adds what arrived since the last one; several ingest
/// nodes adding to the same buckets simply sum. A flush that fails is retried with the same rows and contribution
/// id (idempotent in the store); rows not yet flushed when the process dies are lost (spans are not).
/// </summary>
public sealed partial class RollupStage : IIngestBatchObserver, IDisposable
{
    private readonly IRollupWriter _writer;
    private readonly RollupStageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EdgeExtractor _extractor;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<EdgeSample> _samples = [];
    private readonly List<Span> _parsed = [];

    /// <summary>Each request's spans are read as facts straight from its bytes; the model only for what the walker declines.</summary>
    private readonly WireSpanFacts _wire = new();
    private readonly List<SpanFacts> _facts = [];
    private readonly RollupAccumulator _accumulator = new();

    /// <summary>Rows taken from the accumulator whose write has not succeeded yet, with their id.</summary>
    private (List<RollupRow> Rows, string Id)? _unwritten;
    private long _sequence;
    private long _skippedRequests;
    private long _flushedRows;

    public RollupStage(IRollupWriter writer, RollupStageOptions options, TimeProvider time, ILogger<RollupStage> logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _writer = writer;
        _options = options;
        _time = time;
        _logger = logger;
        _extractor = new EdgeExtractor(options.Edges);
    }

    public RollupStageOptions Options => _options;

    public EdgeCounters Counters
    {
        get
        {
            _gate.Wait();
            try
            {
                return _extractor.Counters;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Rows written so far.</summary>
    public long FlushedRows => Interlocked.Read(ref _flushedRows);

    public async ValueTask OnBatchStoredAsync(IngestedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = NowMs();
            foreach (var span in batch.Spans)
            {
                _extractor.Observe(span, now, _samples);
            }

            foreach (var request in batch.TraceRequests)
            {
                _facts.Clear();
                if (!_wire.TryRead(request.Span, _facts) && !TryReadModel(request.Span))
                {
                    _skippedRequests++;
                    continue;
                }

                foreach (var facts in _facts)
                {
                    _extractor.Observe(facts, now, _samples);
                }
            }

            _facts.Clear();
            _parsed.Clear();
            _extractor.Expire(now, _samples);
            Accumulate();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Settles spans whose pairing window has passed and writes everything accumulated. Throws when the store
    /// fails; the rows are kept and the next call writes them again under the same id.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _extractor.Expire(NowMs(), _samples);
            Accumulate();
            if (_unwritten is null && _accumulator.Count > 0)
            {
                var rows = _accumulator.Take();
                _unwritten = (rows, $"{_options.NodeId}/{_time.GetUtcNow().ToUnixTimeMilliseconds()}/{++_sequence}");
            }

            if (_unwritten is { } pending)
            {
                await _writer.WriteAsync(pending.Rows, pending.Id, cancellationToken).ConfigureAwait(false);
                _unwritten = null;
                Interlocked.Add(ref _flushedRows, pending.Rows.Count);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Settles every span still waiting, as if its window had passed (shutdown), then flushes.</summary>
    public async Task FlushAllAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _extractor.Expire(long.MaxValue / 2, _samples);
            Accumulate();
        }
        finally
        {
            _gate.Release();
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Trace requests that could not be read at all (malformed bytes), and were left out of the rollups.</summary>
    public long SkippedRequests
    {
        get
        {
            _gate.Wait();
            try
            {
                return _skippedRequests;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>A request the wire walker declined, read the ordinary way into <see cref="_facts"/>; false when protobuf rejects it too.</summary>
    private bool TryReadModel(ReadOnlySpan<byte> request)
    {
        _parsed.Clear();
        if (!OtlpSpans.TryToModel(request, _parsed))
        {
            return false;
        }

        ResourceFacts? resource = null;
        Resource? last = null;
        foreach (var span in _parsed)
        {
            if (!ReferenceEquals(span.Resource, last))
            {
                last = span.Resource;
                resource = SpanFacts.ReadResource(span.Resource);
            }

            _facts.Add(SpanFacts.FromModel(span, resource));
        }

        _parsed.Clear();
        return true;
    }

    private void Accumulate()
    {
        foreach (var sample in _samples)
        {
            _accumulator.Add(sample);
        }

        _samples.Clear();
    }

    public void Dispose()
    {
        _gate.Dispose();
        _wire.Dispose();
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal void LogFlushFailed(Exception exception) => LogFlushFailedMessage(_logger, exception);

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "Writing rollups failed; they are kept and written again at the next flush")]
    private static partial void LogFlushFailedMessage(ILogger logger, Exception exception);
}
