using Mesh.Core.Telemetry;
using Mesh.Otlp.Proto.Collector.Logs;
using ProtoLogRecord = Mesh.Otlp.Proto.Logs.LogRecord;

namespace Mesh.Otlp.Conversion;

/// <summary>Maps OTLP log requests to core log records and back.</summary>
public static class OtlpLogs
{
    /// <summary>
    /// Converts every record of <paramref name="request"/>. Each record's <see cref="LogRecord.LogId"/> is derived
    /// from <paramref name="batchId"/> (unique per accepted request, stable across replays) and its index in the request.
    /// </summary>
    public static void ToModel(ExportLogsServiceRequest request, ulong batchId, List<LogRecord> into)
    {
        ulong index = 0;
        foreach (var rl in request.ResourceLogs)
        {
            var resource = OtlpValues.ToModel(rl.Resource, rl.SchemaUrl);
            foreach (var sl in rl.ScopeLogs)
            {
                var scope = OtlpValues.ToModel(sl.Scope, sl.SchemaUrl);
                foreach (var r in sl.LogRecords)
                {
                    into.Add(ToModel(r, LogIds.For(batchId, index++), resource, scope));
                }
            }
        }
    }

    public static LogRecord ToModel(ProtoLogRecord r, ulong logId, Core.Telemetry.Resource resource, InstrumentationScope scope) => new()
    {
        LogId = logId,
        TimeUnixNano = OtlpSpans.ToSigned(r.TimeUnixNano),
        ObservedTimeUnixNano = OtlpSpans.ToSigned(r.ObservedTimeUnixNano),
        SeverityNumber = (int)r.SeverityNumber,
        SeverityText = r.SeverityText,
        Body = OtlpValues.ToModel(r.Body),
        EventName = r.EventName,
        Attributes = OtlpValues.ToModel(r.Attributes),
        DroppedAttributesCount = r.DroppedAttributesCount,
        Flags = r.Flags,
        TraceId = OtlpValues.ReadTraceId(r.TraceId),
        SpanId = OtlpValues.ReadSpanId(r.SpanId),
        Resource = resource,
        Scope = scope,
    };

    /// <summary>Builds one request holding <paramref name="logs"/>, grouped by resource and scope.</summary>
    public static ExportLogsServiceRequest ToRequest(IEnumerable<LogRecord> logs)
    {
        var request = new ExportLogsServiceRequest();
        foreach (var byResource in logs.GroupBy(l => l.Resource))
        {
            var rl = new Proto.Logs.ResourceLogs { Resource = OtlpValues.ToProto(byResource.Key), SchemaUrl = byResource.Key.SchemaUrl };
            foreach (var byScope in byResource.GroupBy(l => l.Scope))
            {
                var sl = new Proto.Logs.ScopeLogs { Scope = OtlpValues.ToProto(byScope.Key), SchemaUrl = byScope.Key.SchemaUrl };
                foreach (var log in byScope)
                {
                    var r = new ProtoLogRecord
                    {
                        TimeUnixNano = (ulong)log.TimeUnixNano,
                        ObservedTimeUnixNano = (ulong)log.ObservedTimeUnixNano,
                        SeverityNumber = (Proto.Logs.SeverityNumber)log.SeverityNumber,
                        SeverityText = log.SeverityText,
                        Body = log.Body.Kind == AnyValueKind.Empty ? null : OtlpValues.ToProto(log.Body),
                        EventName = log.EventName,
                        DroppedAttributesCount = log.DroppedAttributesCount,
                        Flags = log.Flags,
                        TraceId = OtlpValues.ToByteString(log.TraceId),
                        SpanId = OtlpValues.ToByteString(log.SpanId),
                    };
                    OtlpValues.AddTo(r.Attributes, log.Attributes);
                    sl.LogRecords.Add(r);
                }

                rl.ScopeLogs.Add(sl);
            }

            request.ResourceLogs.Add(rl);
        }

        return request;
    }
}
