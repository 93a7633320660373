namespace Mesh.ControlPlane.Resources;

internal sealed record ServicePort
{
    public string Name { get; init; } = "http";

    public int Port { get; init; }

    /// <summary><c>http</c>, <c>http2</c> or <c>grpc</c>.</summary>
    public string Protocol { get; init; } = "http";
}
