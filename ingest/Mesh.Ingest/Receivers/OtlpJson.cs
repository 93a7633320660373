using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesh.Core.Telemetry;

namespace Mesh.Ingest.Receivers;

/// <summary>
/// OTLP/JSON differs from the canonical protobuf JSON mapping in one way that matters: trace and span ids
/// are hex, not base64. We rewrite the id fields to base64 and hand the tree to protobuf's JSON parser,
/// which already accepts enum numbers, lowerCamelCase names and int64 as strings or numbers.
/// </summary>
internal static class OtlpJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    /// <summary>Parses an OTLP/JSON body; on failure returns null and a message naming the problem.</summary>
    public static T? TryParse<T>(ReadOnlySpan<byte> utf8, bool traces, out string? error)
        where T : class, IMessage<T>, new()
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8, NodeOptions, DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = $"invalid JSON: {ex.Message}";
            return null;
        }

        if (root is not JsonObject obj)
        {
            error = "invalid OTLP JSON: the body must be a JSON object";
            return null;
        }

        error = traces ? RewriteTraceIds(obj) : RewriteLogIds(obj);
        if (error is not null)
        {
            return null;
        }

        try
        {
            return Parser.Parse<T>(obj.ToJsonString());
        }
        catch (InvalidProtocolBufferException ex)
        {
            error = $"invalid OTLP JSON: {ex.Message}";
            return null;
        }
        catch (InvalidJsonException ex)
        {
            error = $"invalid OTLP JSON: {ex.Message}";
            return null;
        }
        catch (FormatException ex)
        {
            error = $"invalid OTLP JSON: {ex.Message}";
            return null;
        }
    }

    public static string Format(IMessage message) => JsonFormatter.Default.Format(message);

    private static string? RewriteTraceIds(JsonObject root)
    {
        foreach (var (rs, ri) in Items(root, "resourceSpans", "resource_spans"))
        {
            foreach (var (ss, si) in Items(rs, "scopeSpans", "scope_spans"))
            {
                foreach (var (span, i) in Items(ss, "spans", "spans"))
                {
                    var path = $"resourceSpans[{ri}].scopeSpans[{si}].spans[{i}]";
                    var error = HexToBase64(span, path, "traceId", "trace_id", TraceId.ByteLength)
                        ?? HexToBase64(span, path, "spanId", "span_id", SpanId.ByteLength)
                        ?? HexToBase64(span, path, "parentSpanId", "parent_span_id", SpanId.ByteLength);
                    if (error is not null)
                    {
                        return error;
                    }

                    foreach (var (link, li) in Items(span, "links", "links"))
                    {
                        error = HexToBase64(link, $"{path}.links[{li}]", "traceId", "trace_id", TraceId.ByteLength)
                            ?? HexToBase64(link, $"{path}.links[{li}]", "spanId", "span_id", SpanId.ByteLength);
                        if (error is not null)
                        {
                            return error;
                        }
                    }
                }
            }
        }

        return null;
    }

    private static string? RewriteLogIds(JsonObject root)
    {
        foreach (var (rl, ri) in Items(root, "resourceLogs", "resource_logs"))
        {
            foreach (var (sl, si) in Items(rl, "scopeLogs", "scope_logs"))
            {
                foreach (var (log, i) in Items(sl, "logRecords", "log_records"))
                {
                    var path = $"resourceLogs[{ri}].scopeLogs[{si}].logRecords[{i}]";
                    var error = HexToBase64(log, path, "traceId", "trace_id", TraceId.ByteLength)
                        ?? HexToBase64(log, path, "spanId", "span_id", SpanId.ByteLength);
                    if (error is not null)
                    {
                        return error;
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<(JsonObject Item, int Index)> Items(JsonObject parent, string camel, string snake)
    {
        var node = parent[camel] ?? parent[snake];
        if (node is not JsonArray array)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item)
            {
                yield return (item, i);
            }
        }
    }

    /// <summary>Rewrites one hex id to base64. Width is checked later by the validator, with the same path.</summary>
    private static string? HexToBase64(JsonObject obj, string path, string camel, string snake, int expectedBytes)
    {
        var name = obj.ContainsKey(camel) ? camel : obj.ContainsKey(snake) ? snake : null;
        if (name is null || obj[name] is null)
        {
            return null;
        }

        if (obj[name] is not JsonValue value || !value.TryGetValue<string>(out var hex))
        {
            return $"{path}.{camel}: must be a hex string";
        }

        if (hex.Length % 2 != 0)
        {
            return $"{path}.{camel}: '{Clip(hex)}' is not valid hex (odd length; expected {expectedBytes * 2} hex digits)";
        }

        var bytes = new byte[hex.Length / 2];
        if (!HexCodec.TryDecode(hex, bytes))
        {
            return $"{path}.{camel}: '{Clip(hex)}' is not valid hex (expected {expectedBytes * 2} hex digits)";
        }

        obj[name] = Convert.ToBase64String(bytes);
        return null;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "…");
}
