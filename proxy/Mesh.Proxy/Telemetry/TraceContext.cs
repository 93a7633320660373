using System.Globalization;
using Mesh.Core.Telemetry;

namespace Mesh.Proxy.Telemetry;

/// <summary>
/// W3C trace context of one request: continued from <c>traceparent</c> when valid, else started here (and head
/// sampled). The proxy's own span id becomes the parent the next hop sees.
/// </summary>
internal readonly record struct TraceContext(TraceId TraceId, SpanId SpanId, SpanId ParentSpanId, bool Sampled)
{
    public static TraceContext From(string? traceparent, double sampling, Random random)
    {
        var spanId = new SpanId(NonZero(random));
        if (TryParse(traceparent, out var traceId, out var parent, out var sampled))
        {
            return new TraceContext(traceId, spanId, parent, sampled);
        }

        var fresh = new TraceId(NonZero(random), NonZero(random));
        return new TraceContext(fresh, spanId, default, sampling >= 1 || random.NextDouble() < sampling);
    }

    /// <summary>The traceparent to send upstream: same trace, this span as parent.</summary>
    public string ToTraceparent() => string.Create(55, this, static (chars, c) =>
    {
        // "00-" 32 hex "-" 16 hex "-" 2 hex, lowercase; written in place (no intermediate id strings).
        "00-".CopyTo(chars);
        c.TraceId.High.TryFormat(chars[3..], out _, "x16", CultureInfo.InvariantCulture);
        c.TraceId.Low.TryFormat(chars[19..], out _, "x16", CultureInfo.InvariantCulture);
        chars[35] = '-';
        c.SpanId.Value.TryFormat(chars[36..], out _, "x16", CultureInfo.InvariantCulture);
        chars[52] = '-';
        chars[53] = '0';
        chars[54] = c.Sampled ? '1' : '0';
    });

    private static bool TryParse(string? header, out TraceId traceId, out SpanId parent, out bool sampled)
    {
        traceId = default;
        parent = default;
        sampled = false;

        // version "-" 32 hex "-" 16 hex "-" 2 hex; a future version may append fields after another dash.
        if (header is null || header.Length < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-'
            || (header.Length > 55 && header[55] != '-') || header.StartsWith("ff", StringComparison.Ordinal))
        {
            return false;
        }

        if (!ulong.TryParse(header.AsSpan(3, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hi)
            || !ulong.TryParse(header.AsSpan(19, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var lo)
            || !ulong.TryParse(header.AsSpan(36, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var span)
            || !byte.TryParse(header.AsSpan(53, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var flags)
            || (hi == 0 && lo == 0) || span == 0)
        {
            return false;
        }

        traceId = new TraceId(hi, lo);
        parent = new SpanId(span);
        sampled = (flags & 1) == 1;
        return true;
    }

    private static ulong NonZero(Random random)
    {
        ulong v;
        do
        {
            v = (ulong)random.NextInt64();
        }
        while (v == 0);
        return v;
    }
}
