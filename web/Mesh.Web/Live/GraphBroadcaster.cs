using Mesh.Web.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Live;

/// <summary>Pushes every live subscriber its changes each <see cref="AnalyticsSettings.LiveInterval"/>.</summary>
internal sealed partial class GraphBroadcaster(LiveSubscriptions subscriptions, LivePusher pusher, AnalyticsSettings settings, TimeProvider time, ILogger<GraphBroadcaster> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.LiveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var current = subscriptions.Snapshot();
                if (current.Count == 0)
                {
                    continue;
                }

                try
                {
                    await pusher.PushAsync(current, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store outage skips a tick; subscribers get the changes once it is back.
                    LogPushFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Warning, Message = "Pushing the live map failed; retrying at the next tick")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
