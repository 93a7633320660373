using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config.Serialization;

/// <summary>Turns System.Text.Json's messages into ones that speak config: field path first, then what was expected.</summary>
internal static class JsonErrors
{
    public static ConfigError Describe(JsonException ex)
    {
        var path = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
        var message = ProxyConfigSerializer.StripPath(ex.Message);
        const string unmapped = "The JSON property '";
        if (message.StartsWith(unmapped, StringComparison.Ordinal))
        {
            var name = message[unmapped.Length..message.IndexOf('\'', unmapped.Length)];
            return new ConfigError(path.EndsWith(name, StringComparison.Ordinal) ? path : Join(path, name), "unknown field");
        }

        const string convert = "The JSON value could not be converted to ";
        if (message.StartsWith(convert, StringComparison.Ordinal))
        {
            return new ConfigError(path, $"expected {Expected(message[convert.Length..].TrimEnd('.'))}");
        }

        return new ConfigError(path, message);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Expected(string typeName)
    {
        var inner = typeName.StartsWith("System.Nullable`1[", StringComparison.Ordinal) ? typeName[18..^1] : typeName;
        return inner switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.Uri" => "a URL",
            _ when inner.Contains("IReadOnlyList", StringComparison.Ordinal) => "a list",
            _ when inner.Contains("IReadOnlyDictionary", StringComparison.Ordinal) => "a mapping of names to values",
            _ => EnumOrMapping(inner),
        };
    }

    private static string EnumOrMapping(string typeName)
    {
        var type = typeof(ProxyConfig).Assembly.GetType(typeName);
        if (type is { IsEnum: true })
        {
            var names = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);
            return "one of " + string.Join(", ", names);
        }

        return type is null ? typeName : "a mapping";
    }
}
