using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Tests.Support;

/// <summary>Proxy logs to stderr when MESH_TEST_PROXY_LOG is set (debugging a failing test).</summary>
internal sealed class StderrLoggerProvider : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)} {exception}");

    public void Dispose()
    {
    }
}
