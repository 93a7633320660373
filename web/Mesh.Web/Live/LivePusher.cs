using System.Text;
using System.Text.Json;
using Mesh.Analytics.Graph;
using Mesh.Web.Api;
using Mesh.Web.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace Mesh.Web.Live;

/// <summary>Draws the live map once per distinct filter and sends each subscriber what changed since its last message.</summary>
internal sealed class LivePusher(IHubContext<GraphHub> hub, GraphService graphs, AnalyticsSettings settings, TimeProvider time)
{
    public async Task PushAsync(IReadOnlyList<LiveSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var start = now - (long)settings.LiveWindow.TotalSeconds;
        var graphs1 = new Dictionary<(string?, string?), ServiceGraph>();
        foreach (var subscription in subscriptions)
        {
            var filter = (subscription.Namespace, subscription.Service);
            if (!graphs1.TryGetValue(filter, out var graph))
            {
                graph = await graphs.GetGraphAsync(
                    new GraphQuery { StartUnixSeconds = start, EndUnixSeconds = now + 1, Namespace = filter.Namespace, Service = filter.Service },
                    cancellationToken).ConfigureAwait(false);
                graphs1.Add(filter, graph);
            }

            await SendAsync(subscription, graph, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(LiveSubscription subscription, ServiceGraph graph, CancellationToken cancellationToken)
    {
        await subscription.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var full = !subscription.Primed;
            var nodes = graph.Nodes.ToDictionary(n => n.Name, n => Json(w => GraphJson.Node(w, n)), StringComparer.Ordinal);
            var edges = graph.Edges.ToDictionary(GraphJson.EdgeId, e => Json(w => GraphJson.Edge(w, e)), StringComparer.Ordinal);
            var (nodesChanged, nodesRemoved) = Diff(subscription.Nodes, nodes);
            var (edgesChanged, edgesRemoved) = Diff(subscription.Edges, edges);
            if (!full && nodesChanged.Count + nodesRemoved.Count + edgesChanged.Count + edgesRemoved.Count == 0)
            {
                return;
            }

            var message = ApiJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", full ? "full" : "delta");
                GraphJson.Window(w, graph.StartUnixSeconds, graph.EndUnixSeconds);
                Part(w, "nodes", nodesChanged, nodesRemoved);
                Part(w, "edges", edgesChanged, edgesRemoved);
                w.WriteEndObject();
            });
            using var document = JsonDocument.Parse(message);
            await hub.Clients.Client(subscription.ConnectionId).SendAsync("graph", document.RootElement.Clone(), cancellationToken).ConfigureAwait(false);
            subscription.Primed = true;
        }
        finally
        {
            subscription.Gate.Release();
        }
    }

    /// <summary>Entries new or different in <paramref name="now"/>, and keys gone from it; <paramref name="sent"/> becomes <paramref name="now"/>.</summary>
    private static (List<string> Changed, List<string> Removed) Diff(Dictionary<string, string> sent, Dictionary<string, string> now)
    {
        var changed = new List<string>();
        foreach (var (id, json) in now)
        {
            if (!sent.TryGetValue(id, out var before) || before != json)
            {
                changed.Add(json);
            }
        }

        var removed = sent.Keys.Where(id => !now.ContainsKey(id)).ToList();
        sent.Clear();
        foreach (var (id, json) in now)
        {
            sent[id] = json;
        }

        return (changed, removed);
    }

    private static void Part(Utf8JsonWriter w, string name, List<string> changed, List<string> removed)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("upserted");
        foreach (var json in changed)
        {
            w.WriteRawValue(json, skipInputValidation: true);
        }

        w.WriteEndArray();
        w.WriteStartArray("removed");
        foreach (var id in removed)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(ApiJson.Write(write));
}
