using System.Threading.Channels;
using Mesh.ControlPlane.Client.Contracts;

namespace Mesh.ControlPlane.Distribution;

/// <summary>One open watch stream. Its queue holds only the newest snapshot: a slow proxy skips straight to the latest state.</summary>
internal sealed class Watcher(ProxyNode node)
{
    public ProxyNode Node { get; } = node;

    public Channel<ProxySnapshot> Queue { get; } = Channel.CreateBounded<ProxySnapshot>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>The config JSON last queued, to skip pushes that change nothing for this proxy.</summary>
    public string? LastConfig { get; set; }
}
