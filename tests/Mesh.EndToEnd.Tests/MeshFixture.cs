using Mesh.Testing;
using Xunit;

namespace Mesh.EndToEnd.Tests;

/// <summary>One <c>mesh up</c> process on the embedded SQLite store, shared by the tests of a collection.</summary>
public sealed class MeshFixture : IAsyncLifetime
{
    private MeshProcess? _mesh;

    public MeshProcess Mesh => _mesh ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _mesh = await MeshProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MeshCollection : ICollectionFixture<MeshFixture>
{
    public const string Name = "mesh-sqlite";
}
