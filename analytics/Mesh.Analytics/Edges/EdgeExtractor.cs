using Mesh.Core.Facts;
using Mesh.Core.Rollups;
using Mesh.Core.Telemetry;

namespace Mesh.Analytics.Edges;

/// <summary>
/// Turns spans into edge samples, counting each request once (docs/telemetry-conventions.md):
/// <list type="bullet">
/// <item>a mesh outbound or ingress span counts at once;</item>
/// <item>a mesh inbound span counts unless its parent is a mesh outbound or ingress span (which counted it), so one
/// with a parent waits up to the pairing window for that parent to show up;</item>
/// <item>for services with only an OpenTelemetry SDK, a server span is paired with its parent client span in another
/// service (a database client's server is a database node: an instrumented database); a client span that finds no
/// server within the window names a virtual node (db.system: a database; peer.service or server.address: an
/// external), and a server span that finds no client counts from "unknown".</item>
/// </list>
/// Pairing needs both halves on one node: several ingest nodes should receive traces sharded by trace id (as the
/// OpenTelemetry collector's load-balancing exporter does). Not thread-safe; time is passed in (milliseconds on
/// any monotonic clock), so it is driven by the caller's TimeProvider.
/// </summary>
public sealed class EdgeExtractor
{
    public const string Unknown = "unknown";

    private readonly EdgeExtractorOptions _options;
    private readonly long _windowMs;

    // Keyed by (trace id, span id): span ids are only unique within a trace.
    private readonly Dictionary<(TraceId, SpanId), Waiting> _inboundByParent = [];
    // Several server spans can wait for one parent (a server span calling two services), so each parent has a list.
    private readonly Dictionary<(TraceId, SpanId), List<Waiting>> _serversByParent = [];

    /// <summary>SDK server spans by their own id, for child server spans of other services that arrive later.</summary>
    private readonly Dictionary<(TraceId, SpanId), Waiting> _sdkServers = [];
    private readonly Dictionary<(TraceId, SpanId), Waiting> _clientsById = [];

    /// <summary>Mesh outbound and ingress span ids (an inbound child is then not counted again).</summary>
    private readonly Dictionary<(TraceId, SpanId), long> _meshOutbound = [];

    /// <summary>Parents of proxy spans: an SDK client span among them is already counted by the mesh.</summary>
    private readonly Dictionary<(TraceId, SpanId), long> _proxyParents = [];

    /// <summary>Everything above in arrival order, for expiry (an entry whose dictionary no longer holds it is skipped).</summary>
    private readonly Queue<(long At, Table Table, (TraceId, SpanId) Key)> _arrivals = new();

    private long _proxyEdges;
    private long _deduplicated;
    private long _paired;
    private long _unpairedClients;
    private long _unpairedServers;
    private long _virtualEdges;
    private long _overflowed;

    public EdgeExtractor(EdgeExtractorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _windowMs = (long)options.PairingWindow.TotalMilliseconds;
    }

    private enum Table
    {
        Inbound,
        Servers,
        Clients,
        MeshOutbound,
        ProxyParents,
        SdkServers,
    }

    public EdgeCounters Counters => new()
    {
        ProxyEdges = _proxyEdges,
        InboundDeduplicated = _deduplicated,
        Paired = _paired,
        UnpairedClients = _unpairedClients,
        UnpairedServers = _unpairedServers,
        VirtualEdges = _virtualEdges,
        Overflowed = _overflowed,
        Pending = _inboundByParent.Count + _serversByParent.Count + _clientsById.Count,
    };

    /// <summary>Looks at one span; samples it settles go to <paramref name="output"/>.</summary>
    public void Observe(Span span, long nowMs, List<EdgeSample> output)
    {
        ArgumentNullException.ThrowIfNull(span);
        Observe(SpanFacts.FromModel(span), nowMs, output);
    }

    /// <summary>Looks at one span's facts (read from the model or the wire); samples it settles go to <paramref name="output"/>.</summary>
    public void Observe(SpanFacts facts, long nowMs, List<EdgeSample> output)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(output);
        if (facts.IsProxy)
        {
            ObserveProxy(facts, nowMs, output);
        }
        else if (facts.Kind == SpanKind.Server)
        {
            ObserveSdkServer(facts, nowMs, output);
        }
        else if (facts.Kind == SpanKind.Client)
        {
            ObserveSdkClient(facts, nowMs, output);
        }

        if (_arrivals.Count > 5 * _options.MaxPending)
        {
            Settle(long.MaxValue, output, overflow: true, keep: _options.MaxPending);
        }
    }

    /// <summary>Settles every span that has waited a whole window by <paramref name="nowMs"/>.</summary>
    public void Expire(long nowMs, List<EdgeSample> output) => Settle(nowMs - _windowMs, output, overflow: false, keep: 0);

    private void ObserveProxy(SpanFacts f, long now, List<EdgeSample> output)
    {
        if (!f.ParentSpanId.IsEmpty)
        {
            Remember(_proxyParents, Table.ProxyParents, (f.TraceId, f.ParentSpanId), now);
        }

        switch (f.Direction)
        {
            case "outbound":
                _proxyEdges++;
                output.Add(ProxySample(f, NodeKind.Service));
                Remember(_meshOutbound, Table.MeshOutbound, (f.TraceId, f.SpanId), now);
                if (_inboundByParent.Remove((f.TraceId, f.SpanId)))
                {
                    _deduplicated++;
                }

                // An SDK client span of the calling app is the parent of this span: the mesh has counted it.
                _clientsById.Remove((f.TraceId, f.ParentSpanId));
                break;
            case "ingress":
                // A gateway in front of an inbound sidecar: the gateway's span is the edge, the sidecar's a repeat.
                _proxyEdges++;
                output.Add(ProxySample(f, NodeKind.Ingress));
                Remember(_meshOutbound, Table.MeshOutbound, (f.TraceId, f.SpanId), now);
                if (_inboundByParent.Remove((f.TraceId, f.SpanId)))
                {
                    _deduplicated++;
                }

                break;
            case "inbound":
                ObserveInbound(f, now, output);
                break;
        }
    }

    private void ObserveInbound(SpanFacts f, long now, List<EdgeSample> output)
    {
        var sample = ProxySample(f, NodeKind.Service);
        var parent = (f.TraceId, f.ParentSpanId);
        if (f.ParentSpanId.IsEmpty)
        {
            _proxyEdges++;
            output.Add(sample);
        }
        else if (_meshOutbound.ContainsKey(parent))
        {
            _deduplicated++;
        }
        else if (_clientsById.Remove(parent, out var client))
        {
            // An SDK-instrumented caller outside the mesh: it names the source better than a missing peer identity.
            _proxyEdges++;
            output.Add(WithCaller(sample, client.Facts));
        }
        else
        {
            Wait(_inboundByParent, Table.Inbound, parent, new Waiting(f, sample, now));
        }
    }

    private void ObserveSdkServer(SpanFacts f, long now, List<EdgeSample> output)
    {
        var self = new Waiting(f, default, now);
        var id = (f.TraceId, f.SpanId);

        // Server spans of other services whose parent is this span (apps that instrument only what they serve, as
        // Jaeger's dependency links read them): this service called theirs.
        if (_serversByParent.Remove(id, out var children))
        {
            foreach (var child in children)
            {
                PairServers(self, child, output);
            }
        }

        Wait(_sdkServers, Table.SdkServers, id, self);
        if (f.ParentSpanId.IsEmpty)
        {
            output.Add(FromUnknown(f));
            return;
        }

        var parent = (f.TraceId, f.ParentSpanId);
        if (_clientsById.Remove(parent, out var client))
        {
            Pair(client, f, output);
        }
        else if (_sdkServers.TryGetValue(parent, out var parentServer))
        {
            PairServers(parentServer, self, output);
        }
        else
        {
            if (!_serversByParent.TryGetValue(parent, out var waiting))
            {
                _serversByParent[parent] = waiting = [];
            }

            waiting.Add(self);
            _arrivals.Enqueue((now, Table.Servers, parent));
        }
    }

    private void ObserveSdkClient(SpanFacts f, long now, List<EdgeSample> output)
    {
        // A database client waits like any other: an instrumented database answers with a server span (the edge
        // then comes from this client, not from "unknown"); an uninstrumented one becomes a virtual node at expiry.
        var id = (f.TraceId, f.SpanId);
        if (_serversByParent.Remove(id, out var servers))
        {
            foreach (var server in servers)
            {
                Pair(new Waiting(f, default, now), server.Facts, output);
            }
        }
        else if (_inboundByParent.Remove(id, out var inbound))
        {
            _proxyEdges++;
            output.Add(WithCaller(inbound.Sample, f));
        }
        else if (!_proxyParents.ContainsKey(id))
        {
            Wait(_clientsById, Table.Clients, id, new Waiting(f, default, now));
        }
    }

    private void Pair(Waiting client, SpanFacts s, List<EdgeSample> output)
    {
        var c = client.Facts;
        if (c.Service == s.Service)
        {
            // In-process hops are not edges of the map.
            return;
        }

        _paired++;
        var sample = Paired(c, s, Endpoint(c), c, c.IsError || s.IsError, c.BytesIn > 0 ? c.BytesIn : s.BytesIn, c.BytesOut > 0 ? c.BytesOut : s.BytesOut);
        output.Add(c.DbSystem is { Length: > 0 } ? sample with { Key = sample.Key with { DestinationKind = NodeKind.Database } } : sample);
    }

    /// <summary>A server span whose parent is a server span: an edge from the parent's service, timed by the child.</summary>
    private void PairServers(Waiting caller, Waiting callee, List<EdgeSample> output)
    {
        var s = callee.Facts;
        if (caller.Facts.Service == s.Service)
        {
            return;
        }

        _paired++;
        output.Add(Paired(caller.Facts, s, Endpoint(s), s, s.IsError, s.BytesIn, s.BytesOut));
    }

    private static EdgeSample Paired(SpanFacts c, SpanFacts s, string endpoint, SpanFacts timing, bool isError, long bytesIn, long bytesOut) => new()
    {
        Key = new EdgeKey
        {
            SourceService = c.Service,
            SourceVersion = c.Version,
            SourceNamespace = c.Namespace,
            DestinationService = s.Service,
            DestinationVersion = s.Version,
            DestinationNamespace = s.Namespace,
            DestinationEndpoint = endpoint,
            Route = s.HttpRoute ?? s.Name,
        },
        StartUnixNano = timing.StartTimeUnixNano,
        DurationNanos = timing.DurationNanos,
        IsError = isError,
        BytesIn = bytesIn,
        BytesOut = bytesOut,
    };

    private void Settle(long before, List<EdgeSample> output, bool overflow, int keep)
    {
        while (_arrivals.Count > keep && _arrivals.Peek().At <= before)
        {
            var (at, table, key) = _arrivals.Dequeue();
            switch (table)
            {
                case Table.Inbound when Take(_inboundByParent, key, at) is { } inbound:
                    _proxyEdges++;
                    output.Add(inbound.Sample);
                    break;
                case Table.Servers when _serversByParent.TryGetValue(key, out var servers) && servers.Exists(w => w.At == at):
                    foreach (var server in servers.Where(w => w.At == at))
                    {
                        _unpairedServers++;
                        output.Add(FromUnknown(server.Facts));
                    }

                    servers.RemoveAll(w => w.At == at);
                    if (servers.Count == 0)
                    {
                        _serversByParent.Remove(key);
                    }

                    break;
                case Table.SdkServers when Take(_sdkServers, key, at) is not null:
                    break;
                case Table.Clients when Take(_clientsById, key, at) is { } client:
                    SettleClient(client, output);
                    break;
                case Table.MeshOutbound when _meshOutbound.TryGetValue(key, out var seen) && seen == at:
                    _meshOutbound.Remove(key);
                    break;
                case Table.ProxyParents when _proxyParents.TryGetValue(key, out var seen) && seen == at:
                    _proxyParents.Remove(key);
                    break;
                default:
                    continue;
            }

            if (overflow && table is Table.Inbound or Table.Servers or Table.Clients)
            {
                _overflowed++;
            }
        }
    }

    private void SettleClient(Waiting client, List<EdgeSample> output)
    {
        var f = client.Facts;
        if (f.DbSystem is { Length: > 0 })
        {
            _virtualEdges++;
            output.Add(ToPeer(f, NodeKind.Database, f.PeerService ?? f.ServerAddress ?? f.DbSystem));
            return;
        }

        var peer = f.PeerService ?? f.ServerAddress;
        if (peer is { Length: > 0 })
        {
            _virtualEdges++;
            output.Add(ToPeer(client.Facts, NodeKind.External, peer));
        }
        else
        {
            _unpairedClients++;
        }
    }

    private static Waiting? Take(Dictionary<(TraceId, SpanId), Waiting> table, (TraceId, SpanId) key, long at) =>
        table.TryGetValue(key, out var waiting) && waiting.At == at && table.Remove(key) ? waiting : null;

    private void Wait(Dictionary<(TraceId, SpanId), Waiting> table, Table name, (TraceId, SpanId) key, Waiting waiting)
    {
        table[key] = waiting;
        _arrivals.Enqueue((waiting.At, name, key));
    }

    private void Remember(Dictionary<(TraceId, SpanId), long> table, Table name, (TraceId, SpanId) key, long now)
    {
        table[key] = now;
        _arrivals.Enqueue((now, name, key));
    }

    private static EdgeSample ProxySample(SpanFacts f, NodeKind sourceKind)
    {
        var source = f.SourceService is { Length: > 0 } s ? s : f.Direction == "inbound" ? Unknown : f.Service;
        var destination = f.DestinationService is { Length: > 0 } d ? d : f.Direction == "inbound" ? f.Service : Unknown;
        return new EdgeSample
        {
            Key = new EdgeKey
            {
                SourceService = source,
                SourceVersion = f.SourceVersion ?? (source == f.Service ? f.Version : string.Empty),
                SourceNamespace = f.SourceNamespace ?? (source == f.Service ? f.Namespace : string.Empty),
                SourceKind = source == Unknown ? NodeKind.External : sourceKind,
                DestinationService = destination,
                DestinationVersion = f.DestinationVersion ?? (destination == f.Service ? f.Version : string.Empty),
                DestinationNamespace = f.DestinationNamespace ?? (destination == f.Service ? f.Namespace : string.Empty),
                DestinationKind = destination == Unknown ? NodeKind.External : NodeKind.Service,
                DestinationEndpoint = f.DestinationEndpoint ?? string.Empty,
                Route = f.MeshRoute ?? f.HttpRoute ?? string.Empty,
            },
            StartUnixNano = f.StartTimeUnixNano,
            DurationNanos = f.DurationNanos,
            IsError = f.IsError,
            BytesIn = f.BytesIn,
            BytesOut = f.BytesOut,
            Mtls = f.Mtls,
            Retries = (int)Math.Min(int.MaxValue, f.Attempts - 1),
            RateLimited = f.HasFlag("RL"),
            CircuitBroken = f.HasFlag("UO"),
        };
    }

    private static EdgeSample WithCaller(EdgeSample inbound, SpanFacts caller) =>
        inbound.Key.SourceService != Unknown
            ? inbound
            : inbound with
            {
                Key = inbound.Key with
                {
                    SourceService = caller.Service,
                    SourceVersion = caller.Version,
                    SourceNamespace = caller.Namespace,
                    SourceKind = NodeKind.Service,
                },
            };

    private static EdgeSample FromUnknown(SpanFacts f) => new()
    {
        Key = new EdgeKey
        {
            SourceService = Unknown,
            SourceKind = NodeKind.External,
            DestinationService = f.Service,
            DestinationVersion = f.Version,
            DestinationNamespace = f.Namespace,
            Route = f.HttpRoute ?? f.Name,
        },
        StartUnixNano = f.StartTimeUnixNano,
        DurationNanos = f.DurationNanos,
        IsError = f.IsError,
        BytesIn = f.BytesIn,
        BytesOut = f.BytesOut,
    };

    private static EdgeSample ToPeer(SpanFacts f, NodeKind kind, string peer) => new()
    {
        Key = new EdgeKey
        {
            SourceService = f.Service,
            SourceVersion = f.Version,
            SourceNamespace = f.Namespace,
            DestinationService = peer,
            DestinationKind = kind,
            DestinationEndpoint = Endpoint(f),
            Route = f.HttpRoute ?? string.Empty,
        },
        StartUnixNano = f.StartTimeUnixNano,
        DurationNanos = f.DurationNanos,
        IsError = f.IsError,
        BytesIn = f.BytesIn,
        BytesOut = f.BytesOut,
    };

    private static string Endpoint(SpanFacts f) =>
        f.ServerAddress is not { Length: > 0 } address ? string.Empty
        : f.ServerPort is { } port ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{address}:{port}")
        : address;

    private sealed record Waiting(SpanFacts Facts, EdgeSample Sample, long At);
}
