namespace Mesh.Core.Storage;

/// <summary>The store could not be reached or refused the write for a reason that may pass (network, server down, overload).</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
