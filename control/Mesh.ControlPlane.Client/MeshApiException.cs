using System.Net;

namespace Mesh.ControlPlane.Client;

/// <summary>The control plane answered with an error; <see cref="Message"/> is its ProblemDetails detail (naming the bad field or role).</summary>
public sealed class MeshApiException : Exception
{
    public MeshApiException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public MeshApiException()
    {
    }

    public MeshApiException(string message)
        : base(message)
    {
    }

    public MeshApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }
}
