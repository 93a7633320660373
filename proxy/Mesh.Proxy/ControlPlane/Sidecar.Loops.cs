using System.Net;
using Mesh.ControlPlane.Client;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.ControlPlane;

/// <summary>The sidecar's background work: lease renewal, certificate rotation, and retrying calls the control plane may miss.</summary>
public sealed partial class Sidecar
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Renews at a third of the lease; a lapsed lease (404) registers again; an unreachable control plane is retried.</summary>
    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        var every = _options.LeaseTtl / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(every, _time, cancellationToken).ConfigureAwait(false);
            try
            {
                await _client.RenewAsync(_leaseId!, cancellationToken).ConfigureAwait(false);
            }
            catch (MeshApiException ex) when (ex.Status == HttpStatusCode.NotFound)
            {
                _logger.LogWarning("endpoint lease lapsed; registering again");
                await TryAsync(RegisterAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                _logger.LogWarning("lease renewal failed ({Error}); retrying", ex.Message);
            }
        }
    }

    /// <summary>At two thirds of the certificate's life a new key and CSR; until then (or on failure) the current one serves.</summary>
    private async Task RotationLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var current = _identity.Current;
            var wait = MeshCertificates.RotationDue(current.Certificate) - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var next = await IssueAsync(cancellationToken).ConfigureAwait(false);
                _identity.Rotate(next);
                _server!.Counters.CertificateRotations.Increment();
                _logger.LogInformation("rotated workload certificate {Identity}; valid until {NotAfter:O}", next.SpiffeId, next.NotAfter);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                // Keep the current certificate (it is still valid) and try again soon, sooner as expiry nears.
                var left = current.NotAfter - _time.GetUtcNow();
                var retry = TimeSpan.FromTicks(Math.Clamp(left.Ticks / 10, TimeSpan.FromMilliseconds(200).Ticks, MaxRetryDelay.Ticks));
                _logger.LogWarning("certificate rotation failed ({Error}); retrying in {Retry}", ex.Message, retry);
                await Task.Delay(retry, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Retries <paramref name="action"/> with capped backoff until it succeeds (startup needs each step).</summary>
    private async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> action, string what, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                _logger.LogWarning("cannot {What} yet ({Error}); retrying", what, ex.Message);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private Task UntilAsync(Func<CancellationToken, Task> action, string what, CancellationToken cancellationToken) =>
        UntilAsync(async ct =>
        {
            await action(ct).ConfigureAwait(false);
            return true;
        }, what, cancellationToken);

    private async Task TryAsync(Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            _logger.LogWarning("control plane call failed ({Error}); will retry", ex.Message);
        }
    }

    /// <summary>The control plane being down or restarting (not our own shutdown, not a refusal like 401/403/400).</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException => true,
        MeshApiException api => (int)api.Status >= 500 || api.Status == HttpStatusCode.NotFound,
        _ => false,
    };
}
