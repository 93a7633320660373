using System.Text;
using Mesh.Otlp.Wire;

namespace Mesh.Storage.Sqlite;

/// <summary>
/// Adds the spans of OTLP requests to <see cref="SpanRows"/> as <see cref="OtlpTraceWire"/> walks them: each resource
/// and scope is stored (or found) once, when the walk reaches it, under the same content key the model path uses.
/// </summary>
internal sealed class SpanRowsVisitor : IWireSpanVisitor, IDisposable
{
    private readonly WireJson _json = new();
    private SpanRows _rows = null!;
    private SqliteMetadata _metadata = null!;
    private int _service;
    private long _resourceId;
    private long _scopeId;

    public void Start(SpanRows rows, SqliteMetadata metadata)
    {
        _rows = rows;
        _metadata = metadata;
    }

    public void OnResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> schemaUrl)
    {
        var attributes = Encoding.UTF8.GetString(_json.Attributes(resource, 1, WireResource.Count(resource, 1)));
        _resourceId = _metadata.ResourceId(attributes, WireResource.ReadUInt32(resource, 2), WireText.Decode(schemaUrl));
        var service = WireResource.ServiceNameValue(resource);
        _service = _rows.AddService(service.IsEmpty ? "unknown_service" : Encoding.UTF8.GetString(_json.Display(service)));
    }

    public void OnScope(ReadOnlySpan<byte> scope, ReadOnlySpan<byte> schemaUrl)
    {
        WireResource.ReadScope(scope, out var name, out var version, out var attributeCount, out var dropped);
        var attributes = Encoding.UTF8.GetString(_json.Attributes(scope, 3, attributeCount));
        _scopeId = _metadata.ScopeId(
            WireText.Decode(name), WireText.Decode(version), attributes, dropped, WireText.Decode(schemaUrl));
    }

    public void OnSpan(scoped in WireSpan span) => _rows.AddWire(span, _json, _service, _resourceId, _scopeId);

    public void Dispose() => _json.Dispose();
}
