using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mesh.Proxy.Config.Serialization;

/// <summary>
/// YAML into the JSON form of the same snapshot, so one deserializer (and one set of error messages) serves
/// both the static file and the control plane's feed. Plain scalars keep their YAML 1.2 core types.
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ProxyConfigException(
                [new ConfigError("", $"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}")]);
        }

        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode, "");
    }

    private static JsonNode? Node(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => Mapping(map, path),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select((c, i) => Node(c, $"{path}[{i}]"))]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new ProxyConfigException([new ConfigError(path, "YAML aliases are not supported")]),
    };

    private static JsonObject Mapping(YamlMappingNode map, string path)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value
                ?? throw new ProxyConfigException([new ConfigError(path, $"line {key.Start.Line}: a mapping key must be a plain name")]);
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (obj.ContainsKey(name))
            {
                throw new ProxyConfigException([new ConfigError(childPath, $"line {key.Start.Line}: appears twice")]);
            }

            obj[name] = Node(value, childPath);
        }

        return obj;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
