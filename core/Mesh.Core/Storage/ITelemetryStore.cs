namespace Mesh.Core.Storage;

/// <summary>
/// A span and log store backend: the factory for its readers and writers (Jaeger's storage factory).
/// <see cref="InitializeAsync"/> creates or migrates the schema and is idempotent; it must be called
/// once before the readers and writers are used.
/// </summary>
public interface ITelemetryStore : IAsyncDisposable
{
    /// <summary>A short name for logs and metrics: <c>sqlite</c>, <c>clickhouse</c>.</summary>
    string Name { get; }

    ISpanWriter SpanWriter { get; }

    ISpanReader SpanReader { get; }

    ILogWriter LogWriter { get; }

    ILogReader LogReader { get; }

    ValueTask InitializeAsync(CancellationToken cancellationToken);
}
