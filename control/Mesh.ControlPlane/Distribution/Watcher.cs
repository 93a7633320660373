using System.Threading.Channels;
using Mesh.ControlPlane.Client.Contracts;

namespace Mesh.ControlPlane.Distribution;

/// <summary>
/// One open watch stream. Its queue holds only the newest snapshot, already encoded as its NDJSON line: a slow proxy
/// skips straight to the latest state, and the stream writes bytes without serializing anything per message.
/// </summary>
internal sealed class Watcher(ProxyNode node)
{
    public ProxyNode Node { get; } = node;

    public Channel<byte[]> Queue { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>The config JSON last queued, to skip pushes that change nothing for this proxy.</summary>
    public string? LastConfig { get; set; }

    /// <summary>The authorization and mTLS views last queued (JSON), for the same purpose.</summary>
    public string? LastViews { get; set; }
}
