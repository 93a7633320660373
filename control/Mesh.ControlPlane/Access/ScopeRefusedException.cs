namespace Mesh.ControlPlane.Access;

/// <summary>A proxy token asked to act for a workload outside its scope (HTTP 403 at the API edge).</summary>
public sealed class ScopeRefusedException : Exception
{
    public ScopeRefusedException()
    {
    }

    public ScopeRefusedException(string message)
        : base(message)
    {
    }

    public ScopeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
