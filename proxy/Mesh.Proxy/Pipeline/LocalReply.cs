using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Pipeline;

/// <summary>
/// Responses the proxy makes itself. Each carries <c>x-mesh-error</c> naming the reason, so a caller (and a
/// person reading a curl) can tell a mesh decision from an upstream answer.
/// </summary>
internal static class LocalReply
{
    public const string ErrorHeader = "x-mesh-error";

    public static Task WriteAsync(ProxyContext context, int status, string reason, ResponseFlags flags, string message)
    {
        context.Flags |= flags;
        context.Error ??= message;
        var response = context.Http.Response;
        if (response.HasStarted)
        {
            context.Http.Abort();
            return Task.CompletedTask;
        }

        response.StatusCode = status;
        response.Headers[ErrorHeader] = reason;
        response.ContentType = "text/plain; charset=utf-8";
        context.ResponseBytes += message.Length + 1;
        return response.WriteAsync(message + "\n", context.Http.RequestAborted);
    }
}
