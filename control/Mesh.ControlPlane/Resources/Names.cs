namespace Mesh.ControlPlane.Resources;

/// <summary>Names of resources, namespaces and services: DNS labels (lowercase letters, digits, '-'), at most 63 characters.</summary>
internal static class Names
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 63 }
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public static void Check(string? name, string resource, string path, List<ResourceError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new ResourceError(resource, path, "is required"));
        }
        else if (!IsValid(name))
        {
            errors.Add(new ResourceError(resource, path, $"'{name}' is not a DNS label (lowercase letters, digits and '-', at most 63)"));
        }
    }
}
