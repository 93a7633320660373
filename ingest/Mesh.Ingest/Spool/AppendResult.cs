namespace Mesh.Ingest.Spool;

/// <summary>The outcome of <see cref="ISpoolWriter.AppendAsync"/>.</summary>
public readonly record struct AppendResult(bool Accepted, TimeSpan RetryAfter)
{
    public static AppendResult Durable => new(true, TimeSpan.Zero);

    public static AppendResult Full(TimeSpan retryAfter) => new(false, retryAfter);
}
