using System.Security.Authentication;

namespace Mesh.Proxy.Identity;

/// <summary>An upstream failed mesh mTLS: its certificate does not chain to the mesh root, or it proves another identity.</summary>
public sealed class MeshTlsException : AuthenticationException
{
    public MeshTlsException()
    {
    }

    public MeshTlsException(string message)
        : base(message)
    {
    }

    public MeshTlsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
