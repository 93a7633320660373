using Mesh.Otlp.Proto.Collector.Logs;

namespace Mesh.Ingest.Validation;

/// <summary>
/// Checks and normalises an OTLP logs request in place. Trace and span ids are optional on logs, but when
/// present they must have the right width, or the request is malformed; limits are enforced.
/// </summary>
/// <remarks>Clean protobuf requests skip this: <see cref="OtlpWireScanner"/> proves them clean on the wire bytes.
/// Any rule added here must be added there too.</remarks>
internal static class LogRequestValidator
{
    public static SanitizeResult Validate(ExportLogsServiceRequest request, LimitEnforcer limits)
    {
        var modified = false;
        long accepted = 0;
        for (var ri = 0; ri < request.ResourceLogs.Count; ri++)
        {
            var rl = request.ResourceLogs[ri];
            if (rl.Resource is not null)
            {
                rl.Resource.DroppedAttributesCount += limits.Attributes(rl.Resource.Attributes, ref modified);
            }

            for (var si = 0; si < rl.ScopeLogs.Count; si++)
            {
                var sl = rl.ScopeLogs[si];
                if (sl.Scope is not null)
                {
                    sl.Scope.DroppedAttributesCount += limits.Attributes(sl.Scope.Attributes, ref modified);
                }

                for (var i = 0; i < sl.LogRecords.Count; i++)
                {
                    var log = sl.LogRecords[i];
                    if (log.TraceId.Length is not (0 or 16))
                    {
                        return SanitizeResult.Invalid($"resourceLogs[{ri}].scopeLogs[{si}].logRecords[{i}].traceId: must be empty or 16 bytes, got {log.TraceId.Length}");
                    }

                    if (log.SpanId.Length is not (0 or 8))
                    {
                        return SanitizeResult.Invalid($"resourceLogs[{ri}].scopeLogs[{si}].logRecords[{i}].spanId: must be empty or 8 bytes, got {log.SpanId.Length}");
                    }

                    log.DroppedAttributesCount += limits.Attributes(log.Attributes, ref modified);
                    limits.Value(log.Body, ref modified);
                    accepted++;
                }
            }
        }

        return new SanitizeResult(null, accepted, 0, null, modified);
    }
}
