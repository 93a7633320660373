using Mesh.ControlPlane.Client.Contracts;
using Mesh.Proxy.Config;

namespace Mesh.ControlPlane.Client;

/// <summary>
/// The proxy side of distribution: holds one watch open (reconnecting with backoff), checks each snapshot with the
/// proxy config validator, hands valid ones to <c>apply</c>, and ACKs or NACKs every version. While the control
/// plane is unreachable nothing is applied, so the proxy keeps serving with its last good snapshot.
/// </summary>
public sealed class ProxyAgent(MeshControlPlaneClient client, ProxyNode node, Func<ProxyConfig, ProxySnapshot, CancellationToken, ValueTask> apply, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The version last applied (0 before the first).</summary>
    public long AppliedVersion { get; private set; }

    /// <summary>How many times the watch was (re)opened.</summary>
    public int Connects { get; private set; }

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Connects++;
                await foreach (var snapshot in client.WatchAsync(node, cancellationToken).ConfigureAwait(false))
                {
                    backoff = TimeSpan.FromMilliseconds(100);
                    await HandleAsync(snapshot, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or MeshApiException or System.Text.Json.JsonException or OperationCanceledException)
            {
                // Unreachable or restarting control plane: keep the last good config and try again.
            }

            try
            {
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private async Task HandleAsync(ProxySnapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Version == AppliedVersion)
        {
            // A resync after reconnect that brings nothing new: confirm it, change nothing.
            await client.AckAsync(node.Id, snapshot.Version, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        ProxyConfig config;
        try
        {
            config = ProxyConfigSerializer.FromJson(snapshot.Config.GetRawText());
        }
        catch (ProxyConfigException ex)
        {
            await client.AckAsync(node.Id, snapshot.Version, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await apply(config, snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await client.AckAsync(node.Id, snapshot.Version, $"apply failed: {ex.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }

        AppliedVersion = snapshot.Version;
        await client.AckAsync(node.Id, snapshot.Version, null, cancellationToken).ConfigureAwait(false);
    }
}
