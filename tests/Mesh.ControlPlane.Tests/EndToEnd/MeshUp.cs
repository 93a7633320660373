using Mesh.Testing;
using Xunit;

namespace Mesh.ControlPlane.Tests.EndToEnd;

/// <summary>One <c>mesh up</c> shared by the tests of a class.</summary>
public sealed class MeshUp : IAsyncLifetime
{
    public MeshProcess Mesh { get; private set; } = null!;

    public async Task InitializeAsync() => Mesh = await MeshProcess.StartAsync();

    public async Task DisposeAsync() => await Mesh.DisposeAsync();
}
