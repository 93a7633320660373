namespace Mesh.Web.Api;

/// <summary>A query or route parameter has a value the API cannot use; mapped to 400 ProblemDetails naming it.</summary>
internal sealed class ApiParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}
