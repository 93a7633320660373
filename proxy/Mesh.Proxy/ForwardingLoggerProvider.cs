using Microsoft.Extensions.Logging;

namespace Mesh.Proxy;

/// <summary>Hands Kestrel's own logging to the caller's logger factory (the host decides where logs go).</summary>
internal sealed class ForwardingLoggerProvider : ILoggerProvider
{
    private readonly ILoggerFactory _factory;

    public ForwardingLoggerProvider(ILoggerFactory factory) => _factory = factory;

    public ILogger CreateLogger(string categoryName) => _factory.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
