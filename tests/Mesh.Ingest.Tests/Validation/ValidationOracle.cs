using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Validation;
using Mesh.Otlp.Proto.Collector.Logs;
using Mesh.Otlp.Proto.Collector.Trace;

namespace Mesh.Ingest.Tests.Validation;

/// <summary>The slow path as the ingest service runs it (full parse, then the validator), as the reference answer.</summary>
internal static class ValidationOracle
{
    /// <summary>Null when the bytes do not parse; otherwise what the validator says.</summary>
    public static SanitizeResult? SlowPath(bool traces, byte[] bytes, TelemetryLimits limits)
    {
        var enforcer = new LimitEnforcer(limits, new IngestMetrics());
        try
        {
            return traces
                ? TraceRequestValidator.Validate(ExportTraceServiceRequest.Parser.ParseFrom(bytes), enforcer)
                : LogRequestValidator.Validate(ExportLogsServiceRequest.Parser.ParseFrom(bytes), enforcer);
        }
#pragma warning disable CA1031 // any exception at all means "would not parse", which is the answer sought
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>Parses, validates without a single change or rejection: what "clean" promises.</summary>
    public static bool IsClean(SanitizeResult? result) =>
        result is { Error: null, Rejected: 0, Modified: false };

    public static bool Scan(bool traces, byte[] bytes, TelemetryLimits limits, out long items)
    {
        var scanner = new OtlpWireScanner(limits);
        return traces ? scanner.TryScanTraces(bytes, out items) : scanner.TryScanLogs(bytes, out items);
    }
}
