using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Proxy.Pipeline;

/// <summary>WebSocket (HTTP/1.1 Upgrade): after 101, bytes flow both ways opaquely until either side closes.</summary>
internal sealed partial class ForwardStage
{
    private static async Task TunnelAsync(ProxyContext context, HttpResponseMessage response)
    {
        var feature = context.Http.Features.Get<IHttpUpgradeFeature>()!;
        var downstream = await feature.UpgradeAsync().ConfigureAwait(false);
        var upstream = await response.Content.ReadAsStreamAsync(context.Http.RequestAborted).ConfigureAwait(false);
        await using (downstream.ConfigureAwait(false))
        await using (upstream.ConfigureAwait(false))
        {
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.Http.RequestAborted);
            var up = Pump(downstream, upstream, done.Token);
            var down = Pump(upstream, downstream, done.Token);
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            await done.CancelAsync().ConfigureAwait(false);
            context.RequestBytes = await Settle(up).ConfigureAwait(false);
            context.ResponseBytes = await Settle(down).ConfigureAwait(false);
        }
    }

    private static async Task<long> Pump(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                await to.FlushAsync(cancellationToken).ConfigureAwait(false);
                total += n;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        return total;
    }

    private static async Task<long> Settle(Task<long> pump)
    {
        try
        {
            return await pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }
}
