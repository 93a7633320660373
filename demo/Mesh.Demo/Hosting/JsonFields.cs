using System.Text.Json;

namespace Mesh.Demo.Hosting;

/// <summary>The first checks of every hand-parsed admin body: a JSON object, with no field we do not know.</summary>
internal static class JsonFields
{
    public static bool TryCheckObject(JsonElement body, IReadOnlyCollection<string> known, string example, out string error)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = $"body: expected a JSON object such as {example}";
            return false;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                error = $"{property.Name}: unknown field (known: {string.Join(", ", known)})";
                return false;
            }
        }

        error = string.Empty;
        return true;
    }
}
