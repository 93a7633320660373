using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Registry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.ControlPlane;

/// <summary>Once a second (on the injected clock): drops lapsed endpoint leases and expired routing decisions from the snapshots.</summary>
internal sealed partial class ControlPlaneSweeper(EndpointRegistry registry, DecisionService decisions, TimeProvider time, ILogger<ControlPlaneSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var expired = await registry.SweepAsync(stoppingToken).ConfigureAwait(false);
                if (expired > 0)
                {
                    LogExpired(logger, expired);
                }

                await decisions.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} endpoint lease(s) lapsed; their endpoints left the snapshots")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control-plane sweep failed, retrying next tick: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
