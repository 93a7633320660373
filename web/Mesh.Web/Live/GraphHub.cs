using Microsoft.AspNetCore.SignalR;

namespace Mesh.Web.Live;

/// <summary>
/// <c>/api/v1/live</c>: a client calls <c>Subscribe(namespace, service)</c> (either may be null) and receives
/// <c>graph</c> messages: first the full map of the last minute, then every few seconds the nodes and edges that
/// changed or disappeared.
/// </summary>
internal sealed class GraphHub(LiveSubscriptions subscriptions, LivePusher pusher) : Hub
{
    private const int MaxNameLength = 256;

    public async Task Subscribe(string? @namespace, string? service)
    {
        if (@namespace?.Length > MaxNameLength || service?.Length > MaxNameLength)
        {
            throw new HubException($"namespace and service must be at most {MaxNameLength} characters");
        }

        var subscription = subscriptions.Set(Context.ConnectionId, Empty(@namespace), Empty(service));
        await pusher.PushAsync([subscription], Context.ConnectionAborted).ConfigureAwait(false);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
