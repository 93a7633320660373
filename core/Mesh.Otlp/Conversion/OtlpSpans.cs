using Mesh.Core.Telemetry;
using Mesh.Otlp.Proto.Collector.Trace;
using ProtoSpan = Mesh.Otlp.Proto.Trace.Span;

namespace Mesh.Otlp.Conversion;

/// <summary>Maps OTLP trace requests to core spans and back. Ids are assumed validated (see ingest's validator).</summary>
public static class OtlpSpans
{
    public static void ToModel(ExportTraceServiceRequest request, List<Span> into)
    {
        foreach (var rs in request.ResourceSpans)
        {
            var resource = OtlpValues.ToModel(rs.Resource, rs.SchemaUrl);
            foreach (var ss in rs.ScopeSpans)
            {
                var scope = OtlpValues.ToModel(ss.Scope, ss.SchemaUrl);
                foreach (var s in ss.Spans)
                {
                    into.Add(ToModel(s, resource, scope));
                }
            }
        }
    }

    /// <summary>Parses a serialised request and adds its spans; false (and nothing added) when it does not parse.</summary>
    public static bool TryToModel(ReadOnlySpan<byte> request, List<Span> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        ExportTraceServiceRequest parsed;
        try
        {
            parsed = ExportTraceServiceRequest.Parser.ParseFrom(request);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return false;
        }

        ToModel(parsed, into);
        return true;
    }

    public static Span ToModel(ProtoSpan s, Core.Telemetry.Resource resource, InstrumentationScope scope) => new()
    {
        TraceId = OtlpValues.ReadTraceId(s.TraceId),
        SpanId = OtlpValues.ReadSpanId(s.SpanId),
        ParentSpanId = OtlpValues.ReadSpanId(s.ParentSpanId),
        TraceState = s.TraceState,
        Flags = s.Flags,
        Name = s.Name,
        Kind = (SpanKind)s.Kind,
        StartTimeUnixNano = ToSigned(s.StartTimeUnixNano),
        EndTimeUnixNano = ToSigned(s.EndTimeUnixNano),
        StatusCode = s.Status is null ? StatusCode.Unset : (StatusCode)s.Status.Code,
        StatusMessage = s.Status?.Message ?? string.Empty,
        Resource = resource,
        Scope = scope,
        Attributes = OtlpValues.ToModel(s.Attributes),
        DroppedAttributesCount = s.DroppedAttributesCount,
        Events = ToModel(s.Events),
        DroppedEventsCount = s.DroppedEventsCount,
        Links = ToModel(s.Links),
        DroppedLinksCount = s.DroppedLinksCount,
    };

    /// <summary>Builds one request holding <paramref name="spans"/>, grouped by resource and scope (used by tests, bench and the proxy).</summary>
    public static ExportTraceServiceRequest ToRequest(IEnumerable<Span> spans)
    {
        var request = new ExportTraceServiceRequest();
        foreach (var byResource in spans.GroupBy(s => s.Resource))
        {
            var rs = new Proto.Trace.ResourceSpans { Resource = OtlpValues.ToProto(byResource.Key), SchemaUrl = byResource.Key.SchemaUrl };
            foreach (var byScope in byResource.GroupBy(s => s.Scope))
            {
                var ss = new Proto.Trace.ScopeSpans { Scope = OtlpValues.ToProto(byScope.Key), SchemaUrl = byScope.Key.SchemaUrl };
                foreach (var span in byScope)
                {
                    ss.Spans.Add(ToProto(span));
                }

                rs.ScopeSpans.Add(ss);
            }

            request.ResourceSpans.Add(rs);
        }

        return request;
    }

    public static ProtoSpan ToProto(Span span)
    {
        var s = new ProtoSpan
        {
            TraceId = OtlpValues.ToByteString(span.TraceId),
            SpanId = OtlpValues.ToByteString(span.SpanId),
            ParentSpanId = OtlpValues.ToByteString(span.ParentSpanId),
            TraceState = span.TraceState,
            Flags = span.Flags,
            Name = span.Name,
            Kind = (ProtoSpan.Types.SpanKind)span.Kind,
            StartTimeUnixNano = (ulong)span.StartTimeUnixNano,
            EndTimeUnixNano = (ulong)span.EndTimeUnixNano,
            DroppedAttributesCount = span.DroppedAttributesCount,
            DroppedEventsCount = span.DroppedEventsCount,
            DroppedLinksCount = span.DroppedLinksCount,
        };
        if (span.StatusCode != StatusCode.Unset || span.StatusMessage.Length != 0)
        {
            s.Status = new Proto.Trace.Status { Code = (Proto.Trace.Status.Types.StatusCode)span.StatusCode, Message = span.StatusMessage };
        }

        OtlpValues.AddTo(s.Attributes, span.Attributes);
        foreach (var e in span.Events)
        {
            var pe = new ProtoSpan.Types.Event { TimeUnixNano = (ulong)e.TimeUnixNano, Name = e.Name, DroppedAttributesCount = e.DroppedAttributesCount };
            OtlpValues.AddTo(pe.Attributes, e.Attributes);
            s.Events.Add(pe);
        }

        foreach (var l in span.Links)
        {
            var pl = new ProtoSpan.Types.Link
            {
                TraceId = OtlpValues.ToByteString(l.TraceId),
                SpanId = OtlpValues.ToByteString(l.SpanId),
                TraceState = l.TraceState,
                Flags = l.Flags,
                DroppedAttributesCount = l.DroppedAttributesCount,
            };
            OtlpValues.AddTo(pl.Attributes, l.Attributes);
            s.Links.Add(pl);
        }

        return s;
    }

    private static IReadOnlyList<SpanEvent> ToModel(Google.Protobuf.Collections.RepeatedField<ProtoSpan.Types.Event> events)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var result = new SpanEvent[events.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var e = events[i];
            result[i] = new SpanEvent
            {
                TimeUnixNano = ToSigned(e.TimeUnixNano),
                Name = e.Name,
                Attributes = OtlpValues.ToModel(e.Attributes),
                DroppedAttributesCount = e.DroppedAttributesCount,
            };
        }

        return result;
    }

    private static IReadOnlyList<SpanLink> ToModel(Google.Protobuf.Collections.RepeatedField<ProtoSpan.Types.Link> links)
    {
        if (links.Count == 0)
        {
            return [];
        }

        var result = new SpanLink[links.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var l = links[i];
            result[i] = new SpanLink
            {
                TraceId = OtlpValues.ReadTraceId(l.TraceId),
                SpanId = OtlpValues.ReadSpanId(l.SpanId),
                TraceState = l.TraceState,
                Flags = l.Flags,
                Attributes = OtlpValues.ToModel(l.Attributes),
                DroppedAttributesCount = l.DroppedAttributesCount,
            };
        }

        return result;
    }

    /// <summary>OTLP times are unsigned; anything past year 2262 is clamped rather than wrapped negative.</summary>
    internal static long ToSigned(ulong nanos) => nanos > long.MaxValue ? long.MaxValue : (long)nanos;
}
