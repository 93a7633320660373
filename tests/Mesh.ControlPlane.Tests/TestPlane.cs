using Mesh.ControlPlane.Config;
using Mesh.ControlPlane.Decisions;
using Mesh.ControlPlane.Registry;
using Mesh.Metadata.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.ControlPlane.Tests;

/// <summary>The control-plane services over a real SQLite metadata file, on virtual time.</summary>
internal sealed class TestPlane : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mesh-cp-").FullName;

    private TestPlane(DecisionLimits limits)
    {
        Store = new SqliteMetadataStore(new SqliteMetadataOptions { Path = Path.Combine(_dir, "metadata.db") }, Time);
        Config = new ConfigService(Store, State, Time);
        Registry = new EndpointRegistry(Store, State, Time);
        Decisions = new DecisionService(Store, State, Time, limits);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    public SqliteMetadataStore Store { get; }

    public ControlPlaneState State { get; } = new();

    public ConfigService Config { get; }

    public EndpointRegistry Registry { get; }

    public DecisionService Decisions { get; }

    public static async Task<TestPlane> CreateAsync(DecisionLimits? limits = null)
    {
        var plane = new TestPlane(limits ?? new DecisionLimits());
        await plane.Store.InitializeAsync(default);
        await plane.Config.LoadAsync(default);
        return plane;
    }

    public async ValueTask DisposeAsync()
    {
        Config.Dispose();
        Decisions.Dispose();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
