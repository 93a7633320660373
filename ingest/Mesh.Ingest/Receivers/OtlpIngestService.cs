using Google.Protobuf;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Mesh.Ingest.Validation;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;

namespace Mesh.Ingest.Receivers;

/// <summary>
/// What both OTLP transports share: parse, validate and normalise a request, then append it to the spool
/// and report the outcome. A request whose validation changed nothing is spooled as the bytes it came in as.
/// </summary>
public sealed class OtlpIngestService
{
    private readonly ISpoolWriter _spool;
    private readonly IngestMetrics _metrics;
    private readonly LimitEnforcer _limits;
    private readonly OtlpWireScanner _scanner;

    public OtlpIngestService(ISpoolWriter spool, IngestMetrics metrics, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _spool = spool;
        _metrics = metrics;
        _limits = new LimitEnforcer(options.Limits, metrics);
        _scanner = new OtlpWireScanner(options.Limits);
        Options = options;
    }

    public IngestOptions Options { get; }

    internal IngestMetrics Metrics => _metrics;

    internal ValueTask<ExportOutcome> ExportProtobufAsync(bool traces, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // Fast path: almost every request is well-formed and within limits, and then the validators would change
        // nothing and the original bytes are spooled anyway; one pass over the bytes proves it without building
        // the message graph. The scanner only says "clean" when the slow path would say the same.
        long items;
        if (traces ? _scanner.TryScanTraces(body.Span, out items) : _scanner.TryScanLogs(body.Span, out items))
        {
            var type = traces ? SignalType.Traces : SignalType.Logs;
            return SpoolAsync(type, request: null, body, new SanitizeResult(null, items, 0, null, Modified: false), cancellationToken);
        }

        return ParseAndValidate();

        // Slow path: anything the scanner is not sure of (malformed bytes, bad ids, values over the limits) gets
        // parsed and validated in full, for the exact errors, partial successes and truncations.
        ValueTask<ExportOutcome> ParseAndValidate()
        {
            try
            {
                return traces
                    ? ExportAsync(ExportTraceServiceRequest.Parser.ParseFrom(body.Span), body, cancellationToken)
                    : ExportAsync(ExportLogsServiceRequest.Parser.ParseFrom(body.Span), body, cancellationToken);
            }
            catch (InvalidProtocolBufferException ex)
            {
                _metrics.Rejected(Signal(traces), "bad_protobuf");
                return ValueTask.FromResult(ExportOutcome.Bad($"invalid protobuf {(traces ? "ExportTraceServiceRequest" : "ExportLogsServiceRequest")}: {ex.Message}"));
            }
        }
    }

    internal ValueTask<ExportOutcome> ExportJsonAsync(bool traces, ReadOnlySpan<byte> body, CancellationToken cancellationToken)
    {
        string? error;
        if (traces)
        {
            var request = OtlpJson.TryParse<ExportTraceServiceRequest>(body, traces: true, out error);
            if (request is not null)
            {
                return ExportAsync(request, ReadOnlyMemory<byte>.Empty, cancellationToken);
            }
        }
        else
        {
            var request = OtlpJson.TryParse<ExportLogsServiceRequest>(body, traces: false, out error);
            if (request is not null)
            {
                return ExportAsync(request, ReadOnlyMemory<byte>.Empty, cancellationToken);
            }
        }

        _metrics.Rejected(Signal(traces), "bad_json");
        return ValueTask.FromResult(ExportOutcome.Bad(error!));
    }

    private ValueTask<ExportOutcome> ExportAsync(ExportTraceServiceRequest request, ReadOnlyMemory<byte> original, CancellationToken cancellationToken)
    {
        var result = TraceRequestValidator.Validate(request, _limits);
        return SpoolAsync(SignalType.Traces, request, original, result, cancellationToken);
    }

    private ValueTask<ExportOutcome> ExportAsync(ExportLogsServiceRequest request, ReadOnlyMemory<byte> original, CancellationToken cancellationToken)
    {
        var result = LogRequestValidator.Validate(request, _limits);
        return SpoolAsync(SignalType.Logs, request, original, result, cancellationToken);
    }

    /// <param name="request">The parsed request, spooled re-serialised when validation modified it; null on the fast
    /// path, where the result is never modified and <paramref name="original"/> holds every accepted item.</param>
    private async ValueTask<ExportOutcome> SpoolAsync(
        SignalType type, IMessage? request, ReadOnlyMemory<byte> original, SanitizeResult result, CancellationToken cancellationToken)
    {
        var traces = type == SignalType.Traces;
        var signal = Signal(traces);
        _metrics.Received(traces, result.Accepted + result.Rejected);
        if (result.Error is not null)
        {
            _metrics.Rejected(signal, "invalid_id");
            return ExportOutcome.Bad(result.Error);
        }

        if (result.Rejected > 0)
        {
            _metrics.Rejected(signal, "invalid_item", result.Rejected);
        }

        if (result.Accepted == 0)
        {
            // Nothing to keep (an empty request, or every item rejected): success per OTLP, nothing spooled.
            return new ExportOutcome(ExportStatus.Accepted, result.RejectedMessage ?? string.Empty, result.Rejected);
        }

        var payload = result.Modified || original.IsEmpty ? request!.ToByteArray() : original;
        AppendResult appended;
        try
        {
            appended = await _spool.AppendAsync(type, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return new ExportOutcome(ExportStatus.Unavailable, "ingest is shutting down", RetryAfter: TimeSpan.FromSeconds(1));
        }

        if (!appended.Accepted)
        {
            _metrics.Rejected(signal, "spool_full");
            return new ExportOutcome(
                ExportStatus.Throttled,
                "ingest spool is full: the store is behind; retry later",
                RetryAfter: appended.RetryAfter);
        }

        _metrics.Accepted(traces, result.Accepted);
        return new ExportOutcome(ExportStatus.Accepted, result.RejectedMessage ?? string.Empty, result.Rejected);
    }

    private static string Signal(bool traces) => traces ? "traces" : "logs";
}
