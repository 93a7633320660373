using Mesh.Analytics.Health;
using Mesh.Core.Rollups;

namespace Mesh.Analytics.Graph;

/// <summary>
/// Draws the application map, health verdicts and edge time series from rollups alone (never raw spans), for any
/// window: a past one reads exactly that window's buckets. Latency is judged against each edge's own baseline:
/// its p95 over the day before the window (hourly rollups, cached per hour).
/// </summary>
public sealed class GraphService
{
    public const int MaxSeriesPoints = 10_000;
    private const long BaselineSeconds = 86_400;

    private readonly IRollupReader _reader;
    private readonly HealthOptions _health;
    private readonly IAnomalyScoreSource? _anomalies;
    private readonly Lock _baselineLock = new();
    private (long Start, Dictionary<(string, string), Aggregate> Edges, Dictionary<string, Aggregate> Nodes)? _baseline;

    public GraphService(IRollupReader reader, HealthOptions health, IAnomalyScoreSource? anomalies = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(health);
        health.Validate();
        _reader = reader;
        _health = health;
        _anomalies = anomalies;
    }

    public async Task<ServiceGraph> GetGraphAsync(GraphQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var start = RollupPlan.AlignDown(query.StartUnixSeconds, RollupResolutions.Finest);
        var end = RollupPlan.AlignUp(query.EndUnixSeconds, RollupResolutions.Finest);
        var rowsTask = ReadWindowAsync(start, end, null, null, cancellationToken);
        var baselineTask = BaselineAsync(start, cancellationToken);
        var rows = await rowsTask.ConfigureAwait(false);
        var baseline = await baselineTask.ConfigureAwait(false);

        var edges = new Dictionary<(string Source, string Target), Aggregate>();
        var nodes = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = row.Key;
            if ((query.Service is { } s && key.SourceService != s && key.DestinationService != s)
                || (query.Namespace is { } ns && key.SourceNamespace != ns && key.DestinationNamespace != ns))
            {
                continue;
            }

            if (!edges.TryGetValue((key.SourceService, key.DestinationService), out var edge))
            {
                edges.Add((key.SourceService, key.DestinationService), edge = new Aggregate());
            }

            edge.Add(row);
            Node(nodes, key.SourceService).Saw(key.SourceKind, key.SourceNamespace, key.SourceVersion, endpoint: null);
            var target = Node(nodes, key.DestinationService);
            target.Saw(key.DestinationKind, key.DestinationNamespace, key.DestinationVersion, key.DestinationEndpoint);
            target.Received.Add(row);
        }

        var seconds = Math.Max(1, end - start);
        var graphEdges = new List<GraphEdge>(edges.Count);
        foreach (var ((source, target), edge) in edges)
        {
            baseline.Edges.TryGetValue((source, target), out var before);
            var anomaly = _anomalies?.EdgeScore(source, target, start, end);
            graphEdges.Add(new GraphEdge
            {
                Source = source,
                Target = target,
                Requests = edge.Requests,
                Rps = edge.Requests / (double)seconds,
                Errors = edge.Errors,
                ErrorRate = edge.ErrorRate,
                P50Ms = edge.QuantileMs(0.50),
                P95Ms = edge.QuantileMs(0.95),
                P99Ms = edge.QuantileMs(0.99),
                BytesIn = edge.BytesIn,
                BytesOut = edge.BytesOut,
                MtlsRate = edge.Requests == 0 ? 0 : (double)edge.Mtls / edge.Requests,
                Retries = edge.Retries,
                RateLimited = edge.RateLimited,
                CircuitBroken = edge.CircuitBroken,
                Routes = [.. edge.Routes],
                Health = HealthScorer.Score(Input(edge, before, anomaly), _health.For(target)),
            });
        }

        var graphNodes = new List<GraphNode>(nodes.Count);
        foreach (var (name, node) in nodes)
        {
            baseline.Nodes.TryGetValue(name, out var before);
            graphNodes.Add(new GraphNode
            {
                Name = name,
                Namespace = node.Namespace,
                Kind = node.Kind,
                Versions = [.. node.Versions],
                Endpoints = [.. node.Endpoints],
                Requests = node.Received.Requests,
                Rps = node.Received.Requests / (double)seconds,
                ErrorRate = node.Received.ErrorRate,
                Health = HealthScorer.Score(Input(node.Received, before, null), _health.For(name)),
            });
        }

        graphNodes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        graphEdges.Sort((a, b) => string.CompareOrdinal(a.Source, b.Source) is var c && c != 0 ? c : string.CompareOrdinal(a.Target, b.Target));
        return new ServiceGraph(start, end, graphNodes, graphEdges);
    }

    /// <summary>
    /// One edge's metric per <paramref name="stepSeconds"/> (a multiple of 10) over [start, end), read at the
    /// coarsest resolution that divides the step. Steps without requests are present (rps 0, p99 null).
    /// </summary>
    public async Task<IReadOnlyList<SeriesPoint>> GetSeriesAsync(
        string source, string target, SeriesMetric metric, long start, long end, int stepSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSeconds, RollupResolutions.Finest);
        if (stepSeconds % RollupResolutions.Finest != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, "must be a multiple of 10 seconds");
        }

        start = RollupPlan.AlignDown(start, stepSeconds);
        end = RollupPlan.AlignUp(end, stepSeconds);
        if ((end - start) / stepSeconds > MaxSeriesPoints)
        {
            throw new ArgumentOutOfRangeException(nameof(stepSeconds), stepSeconds, $"gives more than {MaxSeriesPoints} points over the window");
        }

        var resolution = RollupResolutions.All.Last(r => stepSeconds % r == 0 && start % r == 0);
        var rows = await _reader.ReadAsync(
            new RollupQuery
            {
                ResolutionSeconds = resolution,
                StartUnixSeconds = start,
                EndUnixSeconds = end,
                PerBucket = true,
                SourceService = source,
                DestinationService = target,
            },
            cancellationToken).ConfigureAwait(false);
        var steps = new Aggregate[(end - start) / stepSeconds];
        foreach (var row in rows)
        {
            var i = (row.BucketStartUnixSeconds - start) / stepSeconds;
            if (i >= 0 && i < steps.Length)
            {
                (steps[i] ??= new Aggregate()).Add(row);
            }
        }

        var points = new List<SeriesPoint>(steps.Length);
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            var requests = step?.Requests ?? 0;
            double? value = metric switch
            {
                SeriesMetric.Rps => requests / (double)stepSeconds,
                SeriesMetric.Errors => requests == 0 ? 0 : 100.0 * step!.Errors / requests,
                _ => step?.QuantileMs(0.99),
            };
            points.Add(new SeriesPoint(start + ((long)i * stepSeconds), value, requests));
        }

        return points;
    }

    /// <summary>
    /// Rows over [start, end) (widened to 10 s buckets), one per key: the plan's segments (coarse buckets for the
    /// middle, fine ones for the ends) summed by the store in one read.
    /// </summary>
    public async Task<IReadOnlyList<RollupRow>> ReadWindowAsync(long start, long end, string? source, string? target, CancellationToken cancellationToken) =>
        await _reader.ReadWindowAsync(RollupPlan.Window(start, end, source, target), cancellationToken).ConfigureAwait(false);

    private static HealthInput Input(Aggregate now, Aggregate? before, double? anomaly) => new()
    {
        Requests = now.Requests,
        Errors = now.Errors,
        Rejections = now.RateLimited + now.CircuitBroken,
        P95Nanos = now.QuantileNanos(0.95),
        BaselineP95Nanos = before?.QuantileNanos(0.95),
        BaselineRequests = before?.Requests ?? 0,
        AnomalyScore = anomaly,
    };

    /// <summary>The day of hourly rollups before the hour the window starts in, per edge and per receiving node.</summary>
    private async Task<(long Start, Dictionary<(string, string), Aggregate> Edges, Dictionary<string, Aggregate> Nodes)> BaselineAsync(long windowStart, CancellationToken cancellationToken)
    {
        var end = RollupPlan.AlignDown(windowStart, 3600);
        lock (_baselineLock)
        {
            if (_baseline is { } cached && cached.Start == end)
            {
                return cached;
            }
        }

        var rows = await _reader.ReadWindowAsync(
            new RollupWindowQuery { Segments = [new RollupSegment(3600, end - BaselineSeconds, end)] },
            cancellationToken).ConfigureAwait(false);
        var edges = new Dictionary<(string, string), Aggregate>();
        var nodes = new Dictionary<string, Aggregate>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var pair = (row.Key.SourceService, row.Key.DestinationService);
            if (!edges.TryGetValue(pair, out var edge))
            {
                edges.Add(pair, edge = new Aggregate());
            }

            edge.Add(row);
            if (!nodes.TryGetValue(row.Key.DestinationService, out var node))
            {
                nodes.Add(row.Key.DestinationService, node = new Aggregate());
            }

            node.Add(row);
        }

        var baseline = (end, edges, nodes);
        lock (_baselineLock)
        {
            // Only a completed hour is cached: the current one still grows (it is never part of a baseline anyway).
            _baseline = baseline;
        }

        return baseline;
    }

    private static NodeFacts Node(Dictionary<string, NodeFacts> nodes, string name)
    {
        if (!nodes.TryGetValue(name, out var node))
        {
            nodes.Add(name, node = new NodeFacts());
        }

        return node;
    }

    private sealed class NodeFacts
    {
        public Aggregate Received { get; } = new();

        public SortedSet<string> Versions { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Endpoints { get; } = new(StringComparer.Ordinal);

        public string Namespace { get; private set; } = string.Empty;

        public NodeKind Kind { get; private set; } = NodeKind.External;

        private bool _kindKnown;

        public void Saw(NodeKind kind, string ns, string version, string? endpoint)
        {
            // A node seen as a real service anywhere is one; otherwise the first kind seen (ingress, database, external).
            if (!_kindKnown || kind == NodeKind.Service)
            {
                Kind = kind;
                _kindKnown = true;
            }

            if (Namespace.Length == 0)
            {
                Namespace = ns;
            }

            if (version.Length > 0)
            {
                Versions.Add(version);
            }

            if (endpoint is { Length: > 0 })
            {
                Endpoints.Add(endpoint);
            }
        }
    }
}
