using System.Runtime.CompilerServices;
using Mesh.Proxy.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Decides how the body travels: small bodies of known length are buffered (so retries and mirrors can resend
/// them), everything else streams and is sent at most once. Never buffers an unbounded body.
/// </summary>
internal sealed class BodyStage : IProxyStage
{
    // Pooled state machine: no allocation per request when the stage awaits asynchronously.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask InvokeAsync(ProxyContext context, StageDelegate next)
    {
        // An upgrade request's "body" is the upgraded stream itself (relayed after 101), never a request body.
        var upgrade = context.Http.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;
        var canHaveBody = !upgrade && (context.Http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true);
        RequestBody body;
        try
        {
            body = await RequestBody.FromAsync(context.Http.Request, canHaveBody, context.Http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            await LocalReply.WriteAsync(context, StatusCodes.Status400BadRequest, "bad-request-body", ResponseFlags.None, $"mesh: {ex.Message}").ConfigureAwait(false);
            return;
        }

        context.Body = body;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.RequestBytes = body.BytesSent;
            body.Dispose();
        }
    }
}
