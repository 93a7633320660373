using Google.Protobuf;
using Mesh.Otlp.Proto.Collector.Trace;
using Mesh.Otlp.Proto.Trace;

namespace Mesh.Ingest.Validation;

/// <summary>
/// Checks and normalises an OTLP trace request in place. Ids of the wrong width make the request malformed
/// (rejected whole, with the path of the first bad field); spans with an all-zero trace or span id are
/// invalid per the OTLP spec and are dropped individually (partial success); limits are enforced.
/// </summary>
/// <remarks>Clean protobuf requests skip this: <see cref="OtlpWireScanner"/> proves them clean on the wire bytes.
/// Any rule added here must be added there too.</remarks>
internal static class TraceRequestValidator
{
    public static SanitizeResult Validate(ExportTraceServiceRequest request, LimitEnforcer limits)
    {
        var modified = false;
        long accepted = 0;
        long rejected = 0;
        string? rejectedMessage = null;
        for (var ri = 0; ri < request.ResourceSpans.Count; ri++)
        {
            var rs = request.ResourceSpans[ri];
            if (rs.Resource is not null)
            {
                rs.Resource.DroppedAttributesCount += limits.Attributes(rs.Resource.Attributes, ref modified);
            }

            for (var si = 0; si < rs.ScopeSpans.Count; si++)
            {
                var ss = rs.ScopeSpans[si];
                if (ss.Scope is not null)
                {
                    ss.Scope.DroppedAttributesCount += limits.Attributes(ss.Scope.Attributes, ref modified);
                }

                for (var i = 0; i < ss.Spans.Count; i++)
                {
                    var span = ss.Spans[i];
                    var path = $"resourceSpans[{ri}].scopeSpans[{si}].spans[{i}]";
                    var error = CheckIds(span, path);
                    if (error is not null)
                    {
                        return SanitizeResult.Invalid(error);
                    }

                    if (IsZero(span.TraceId) || IsZero(span.SpanId))
                    {
                        rejected++;
                        rejectedMessage ??= $"{path}: {(IsZero(span.TraceId) ? "traceId" : "spanId")} is all zeros, which OTLP defines as invalid";
                        ss.Spans.RemoveAt(i);
                        i--;
                        modified = true;
                        continue;
                    }

                    accepted++;
                    Limit(span, limits, ref modified);
                }
            }
        }

        return new SanitizeResult(null, accepted, rejected, rejectedMessage, modified);
    }

    private static string? CheckIds(Span span, string path)
    {
        if (span.TraceId.Length != 16)
        {
            return $"{path}.traceId: must be 16 bytes, got {span.TraceId.Length}";
        }

        if (span.SpanId.Length != 8)
        {
            return $"{path}.spanId: must be 8 bytes, got {span.SpanId.Length}";
        }

        if (span.ParentSpanId.Length is not (0 or 8))
        {
            return $"{path}.parentSpanId: must be empty or 8 bytes, got {span.ParentSpanId.Length}";
        }

        for (var l = 0; l < span.Links.Count; l++)
        {
            var link = span.Links[l];
            if (link.TraceId.Length != 16)
            {
                return $"{path}.links[{l}].traceId: must be 16 bytes, got {link.TraceId.Length}";
            }

            if (link.SpanId.Length != 8)
            {
                return $"{path}.links[{l}].spanId: must be 8 bytes, got {link.SpanId.Length}";
            }
        }

        return null;
    }

    private static void Limit(Span span, LimitEnforcer limits, ref bool modified)
    {
        span.DroppedAttributesCount += limits.Attributes(span.Attributes, ref modified);
        span.DroppedEventsCount += limits.Cap(span.Events, limits.Limits.MaxEventsPerSpan, "events", ref modified);
        foreach (var e in span.Events)
        {
            e.DroppedAttributesCount += limits.Attributes(e.Attributes, ref modified);
        }

        span.DroppedLinksCount += limits.Cap(span.Links, limits.Limits.MaxLinksPerSpan, "links", ref modified);
        foreach (var link in span.Links)
        {
            link.DroppedAttributesCount += limits.Attributes(link.Attributes, ref modified);
        }
    }

    internal static bool IsZero(ByteString id)
    {
        foreach (var b in id.Span)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }
}
