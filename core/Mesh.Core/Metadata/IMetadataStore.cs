namespace Mesh.Core.Metadata;

/// <summary>
/// The metadata store (config, registry, tokens, routing decisions, audit): embedded SQLite or PostgreSQL.
/// <see cref="InitializeAsync"/> creates or migrates the schema, is idempotent and safe to race from two
/// processes; later features (alert rules, anomaly decisions) add numbered migrations and a sub-store here.
/// </summary>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>A short name for logs: <c>sqlite</c>, <c>postgres</c>.</summary>
    string Name { get; }

    IConfigStore Config { get; }

    IEndpointLeaseStore Endpoints { get; }

    IApiTokenStore Tokens { get; }

    IRoutingDecisionStore Decisions { get; }

    IAuditLog Audit { get; }

    ValueTask InitializeAsync(CancellationToken cancellationToken);
}
