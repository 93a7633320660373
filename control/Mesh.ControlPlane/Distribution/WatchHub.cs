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
        var compiled = new Dictionary<ProxyNode, (string Config, AuthorizationView Authorization, MtlsView Mtls)>();
        foreach (var watcher in watchers)
        {
            var shape = watcher.Node with { Id = "" };
            if (!compiled.TryGetValue(shape, out var entry))
            {
                var (config, authorization, mtls) = SnapshotCompiler.Compile(inputs, shape, options);
                entry = (Mesh.Proxy.Config.ProxyConfigSerializer.ToJson(config), authorization, mtls);
                compiled[shape] = entry;
            }

            // The instance id differs per proxy; everything else is shared by proxies of the same shape.
            var json = entry.Config.Replace("\"instanceId\":\"\"", $"\"instanceId\":{JsonSerializer.Serialize(watcher.Node.Id)}", StringComparison.Ordinal);
            var fingerprint = json + JsonSerializer.Serialize(entry.Authorization, ControlPlaneJson.Options) + JsonSerializer.Serialize(entry.Mtls, ControlPlaneJson.Options);
            long version;
            lock (_gate)
            {
                if (!force && fingerprint == watcher.LastConfig)
                {
                    continue;
                }

                watcher.LastConfig = fingerprint;
                version = ++_version;
                if (_status.TryGetValue(watcher.Node.Id, out var status))
                {
                    status.SentVersion = version;
                }
            }

            using var document = JsonDocument.Parse(json);
            watcher.Queue.Writer.TryWrite(new ProxySnapshot(version, inputs.Config.Revision, document.RootElement.Clone(), entry.Authorization, entry.Mtls));
        }
    }
}
