namespace Mesh.Core.Rollups;

/// <summary>
/// Where the application map's rollups live, beside a telemetry store of the same backend.
/// <see cref="InitializeAsync"/> creates or migrates the schema, is idempotent, and runs before first use.
/// </summary>
public interface IRollupStore : IAsyncDisposable
{
    IRollupWriter Writer { get; }

    IRollupReader Reader { get; }

    ValueTask InitializeAsync(CancellationToken cancellationToken);
}
