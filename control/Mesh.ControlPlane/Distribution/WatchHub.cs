using System.Buffers;
using System.Text.Json;
using Mesh.ControlPlane.Client;
using Mesh.ControlPlane.Client.Contracts;
using Microsoft.Extensions.Hosting;

namespace Mesh.ControlPlane.Distribution;

/// <summary>
/// Keeps every connected proxy's snapshot current. On each state change it compiles the snapshot of every watcher
/// (once per distinct node shape) and queues it when it differs from what that proxy last got. Versions grow
/// across restarts (they start at the start-up time in milliseconds), so a resyncing proxy never sees one go back.
/// </summary>
internal sealed class WatchHub(ControlPlaneState state, DistributionOptions options, TimeProvider time) : BackgroundService
{
    private readonly object _gate = new();
    private readonly object _pushGate = new();
    private readonly List<Watcher> _watchers = [];
    private readonly Dictionary<string, ProxyStatus> _status = new(StringComparer.Ordinal);
    private long _version = time.GetUtcNow().ToUnixTimeMilliseconds();

    public Watcher Connect(ProxyNode node)
    {
        var watcher = new Watcher(node);
        lock (_gate)
        {
            _watchers.Add(watcher);
            if (!_status.TryGetValue(node.Id, out var status))
            {
                _status[node.Id] = status = new ProxyStatus(node.Id, node.Namespace, node.Service);
            }

            status.Namespace = node.Namespace;
            status.Service = node.Service;
            status.Connections++;
            status.LastSeen = time.GetUtcNow();
        }

        // The first message of every stream is the full current state: that is the resync after a reconnect.
        Push([watcher], state.Current, force: true);
        return watcher;
    }

    public void Disconnect(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
            if (_status.TryGetValue(watcher.Node.Id, out var status))
            {
                status.Connections--;
                status.LastSeen = time.GetUtcNow();
            }
        }

        watcher.Queue.Writer.TryComplete();
    }

    /// <summary>The workload a proxy watched for; null when it never watched.</summary>
    public (string Namespace, string Service)? WorkloadOf(string proxyId)
    {
        lock (_gate)
        {
            return _status.TryGetValue(proxyId, out var status) ? (status.Namespace, status.Service) : null;
        }
    }

    /// <summary>Records an ACK (no error) or NACK; false when the proxy never watched.</summary>
    public bool Acknowledge(string proxyId, long version, string? error)
    {
        lock (_gate)
        {
            if (!_status.TryGetValue(proxyId, out var status))
            {
                return false;
            }

            status.LastSeen = time.GetUtcNow();
            if (error is null)
            {
                status.AckedVersion = Math.Max(status.AckedVersion, version);
            }
            else
            {
                status.NackedVersion = version;
                status.NackError = error;
            }

            return true;
        }
    }

    public IReadOnlyList<ProxyStatusView> Statuses()
    {
        lock (_gate)
        {
            return [.. _status.Values.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new ProxyStatusView(
                s.Id, s.Namespace, s.Service, s.Connections > 0, s.SentVersion, s.AckedVersion, s.NackedVersion, s.NackError, s.LastSeen))];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = -1L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = state.Changed;
            var inputs = state.Current;
            if (inputs.Generation != seen)
            {
                seen = inputs.Generation;
                Watcher[] watchers;
                lock (_gate)
                {
                    watchers = [.. _watchers];
                }

                Push(watchers, inputs, force: false);
                continue;
            }

            await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private void Push(IReadOnlyList<Watcher> watchers, ControlPlaneState.Inputs inputs, bool force)
    {
        // One push at a time, so a proxy's queue never receives an older snapshot after a newer one.
        lock (_pushGate)
        {
            PushLocked(watchers, inputs, force);
        }
    }

    private void PushLocked(IReadOnlyList<Watcher> watchers, ControlPlaneState.Inputs inputs, bool force)
    {
        // Compiled and serialized once per distinct node shape (proxies of one shape share all but the instance id);
        // what every shape shares (endpoints, outbound clusters and routes of a namespace) is compiled once per push.
        var cache = new SnapshotCompiler.Cache();
        var compiled = new Dictionary<ProxyNode, (string Config, string Authorization, string Mtls)>();
        foreach (var watcher in watchers)
        {
            var shape = watcher.Node with { Id = "" };
            if (!compiled.TryGetValue(shape, out var entry))
            {
                var (config, authorization, mtls) = SnapshotCompiler.Compile(inputs, shape, options, cache);
                entry = (
                    Mesh.Proxy.Config.ProxyConfigSerializer.ToJson(config),
                    JsonSerializer.Serialize(authorization, ControlPlaneJson.Options),
                    JsonSerializer.Serialize(mtls, ControlPlaneJson.Options));
                compiled[shape] = entry;
            }

            // The instance id differs per proxy; everything else is shared by proxies of the same shape.
            var json = entry.Config.Replace("\"instanceId\":\"\"", $"\"instanceId\":{JsonSerializer.Serialize(watcher.Node.Id)}", StringComparison.Ordinal);
            var views = entry.Authorization + entry.Mtls;
            long version;
            lock (_gate)
            {
                if (!force && json == watcher.LastConfig && views == watcher.LastViews)
                {
                    continue;
                }

                watcher.LastConfig = json;
                watcher.LastViews = views;
                version = ++_version;
                if (_status.TryGetValue(watcher.Node.Id, out var status))
                {
                    status.SentVersion = version;
                }
            }

            watcher.Queue.Writer.TryWrite(Encode(version, inputs.Config.Revision, json, entry.Authorization, entry.Mtls));
        }
    }

    /// <summary>
    /// One watch line, <c>{"type":"snapshot","snapshot":{...}}\n</c> (a <see cref="WatchMessage"/>), written from the
    /// already serialized parts: nothing is parsed or serialized again per proxy.
    /// </summary>
    private static byte[] Encode(long version, long revision, string config, string authorization, string mtls)
    {
        var buffer = new ArrayBufferWriter<byte>(config.Length + authorization.Length + mtls.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "snapshot");
            writer.WriteStartObject("snapshot");
            writer.WriteNumber("version", version);
            writer.WriteNumber("configRevision", revision);
            writer.WritePropertyName("config");
            writer.WriteRawValue(config, skipInputValidation: true);
            writer.WritePropertyName("authorization");
            writer.WriteRawValue(authorization, skipInputValidation: true);
            writer.WritePropertyName("mtls");
            writer.WriteRawValue(mtls, skipInputValidation: true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
