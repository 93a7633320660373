namespace Mesh.ControlPlane.Decisions;

/// <summary>A routing decision would break a safety limit or override a pinned decision (HTTP 409).</summary>
public sealed class DecisionRefusedException : Exception
{
    public DecisionRefusedException()
    {
    }

    public DecisionRefusedException(string message)
        : base(message)
    {
    }

    public DecisionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
