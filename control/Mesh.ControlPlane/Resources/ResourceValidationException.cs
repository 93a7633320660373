namespace Mesh.ControlPlane.Resources;

/// <summary>An apply was refused; nothing changed. <see cref="Errors"/> names every bad field.</summary>
public sealed class ResourceValidationException : Exception
{
    public ResourceValidationException(IReadOnlyList<ResourceError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public ResourceValidationException()
        : this([])
    {
    }

    public ResourceValidationException(string message)
        : this([new ResourceError("", "", message)])
    {
    }

    public ResourceValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ResourceError("", "", message)];
    }

    public IReadOnlyList<ResourceError> Errors { get; } = [];
}
