namespace Mesh.Proxy.Pipeline;

/// <summary>The rest of the chain after a stage.</summary>
internal delegate ValueTask StageDelegate(ProxyContext context);

/// <summary>
/// One concern of request handling (routing, rate limiting, faults...). A stage either answers the request
/// itself (a local reply) or calls <c>next</c>; it reads typed settings from the context's route, never global config.
/// </summary>
internal interface IProxyStage
{
    ValueTask InvokeAsync(ProxyContext context, StageDelegate next);
}
