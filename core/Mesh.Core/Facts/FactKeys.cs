using System.Text;
using Mesh.Core.Telemetry;

namespace Mesh.Core.Facts;

/// <summary>
/// Which attribute keys <see cref="SpanFacts"/> reads, looked up by name (the model) or by raw UTF-8 bytes (the
/// wire, with no string made). Every key is ASCII, so a key that is not valid UTF-8 never matches one, exactly as
/// its decoded form (with replacement characters) would not.
/// </summary>
public static class FactKeys
{
    private static readonly (string Name, FactKey Key)[] ResourceKeys =
    [
        ("service.name", FactKey.ServiceName),
        ("service.version", FactKey.ServiceVersion),
        ("service.namespace", FactKey.ServiceNamespace),
        (MeshAttributes.Proxy, FactKey.Proxy),
    ];

    private static readonly (string Name, FactKey Key)[] SpanKeys =
    [
        (MeshAttributes.Direction, FactKey.Direction),
        (MeshAttributes.SourceService, FactKey.SourceService),
        (MeshAttributes.SourceVersion, FactKey.SourceVersion),
        (MeshAttributes.SourceNamespace, FactKey.SourceNamespace),
        (MeshAttributes.DestinationService, FactKey.DestinationService),
        (MeshAttributes.DestinationVersion, FactKey.DestinationVersion),
        (MeshAttributes.DestinationNamespace, FactKey.DestinationNamespace),
        (MeshAttributes.DestinationEndpoint, FactKey.DestinationEndpoint),
        (MeshAttributes.Route, FactKey.MeshRoute),
        ("http.route", FactKey.HttpRoute),
        ("http.response.status_code", FactKey.HttpStatus),
        ("http.status_code", FactKey.HttpStatus),
        ("rpc.grpc.status_code", FactKey.GrpcStatus),
        (MeshAttributes.RequestBytes, FactKey.BytesIn),
        (MeshAttributes.ResponseBytes, FactKey.BytesOut),
        (MeshAttributes.Attempts, FactKey.Attempts),
        (MeshAttributes.Mtls, FactKey.Mtls),
        (MeshAttributes.ResponseFlags, FactKey.ResponseFlags),
        ("db.system", FactKey.DbSystem),
        ("db.system.name", FactKey.DbSystem),
        ("server.address", FactKey.ServerAddress),
        ("net.peer.name", FactKey.ServerAddress),
        ("server.port", FactKey.ServerPort),
        ("net.peer.port", FactKey.ServerPort),
        ("peer.service", FactKey.PeerService),
    ];

    private static readonly Table Resources = new(ResourceKeys);
    private static readonly Table Spans = new(SpanKeys);

    public static FactKey OfResource(string key) => Resources.Find(key);

    public static FactKey OfResource(ReadOnlySpan<byte> utf8Key) => Resources.Find(utf8Key);

    public static FactKey OfSpan(string key) => Spans.Find(key);

    public static FactKey OfSpan(ReadOnlySpan<byte> utf8Key) => Spans.Find(utf8Key);

    public static FactValue ValueOf(FactKey key) => key switch
    {
        FactKey.HttpStatus or FactKey.GrpcStatus or FactKey.BytesIn or FactKey.BytesOut or FactKey.Attempts or FactKey.ServerPort => FactValue.Number,
        FactKey.Mtls => FactValue.Flag,
        _ => FactValue.Text,
    };

    /// <summary>The keys of one level, by name and, for the wire, bucketed by UTF-8 length (most keys miss on length alone).</summary>
    private sealed class Table
    {
        private readonly Dictionary<string, FactKey> _byName = new(StringComparer.Ordinal);
        private readonly (byte[] Utf8, FactKey Key)[][] _byLength;

        public Table((string Name, FactKey Key)[] keys)
        {
            var longest = 0;
            foreach (var (name, key) in keys)
            {
                _byName.Add(name, key);
                longest = Math.Max(longest, name.Length);
            }

            _byLength = new (byte[], FactKey)[longest + 1][];
            for (var length = 0; length <= longest; length++)
            {
                _byLength[length] = [.. keys.Where(k => k.Name.Length == length).Select(k => (Encoding.ASCII.GetBytes(k.Name), k.Key))];
            }
        }

        public FactKey Find(string key) => _byName.GetValueOrDefault(key);

        public FactKey Find(ReadOnlySpan<byte> utf8Key)
        {
            if (utf8Key.Length >= _byLength.Length)
            {
                return FactKey.None;
            }

            foreach (var (utf8, key) in _byLength[utf8Key.Length])
            {
                if (utf8Key.SequenceEqual(utf8))
                {
                    return key;
                }
            }

            return FactKey.None;
        }
    }
}
