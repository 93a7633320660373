using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mesh.ControlPlane.Resources;

/// <summary>
/// A YAML stream (documents separated by <c>---</c>) as JSON nodes, so YAML and JSON input share one binder and
/// one set of error messages. Plain scalars take YAML 1.2 core types; quoted ones stay strings.
/// </summary>
internal static class YamlDocuments
{
    public static List<JsonNode?> Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ResourceValidationException(
                [new ResourceError("", "", $"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}")]);
        }

        return [.. stream.Documents.Select(d => ToJson(d.RootNode))];
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(ToJson)]);
            case YamlMappingNode mapping:
                var result = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw Error(key, "a mapping key must be a plain name");
                    }

                    if (!result.TryAdd(name, ToJson(value)))
                    {
                        throw Error(key, $"key '{name}' appears twice");
                    }
                }

                return result;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw Error(node, "YAML aliases are not supported");
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (bool.TryParse(text, out var flag))
        {
            return JsonValue.Create(flag);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    private static ResourceValidationException Error(YamlNode node, string message) =>
        new([new ResourceError("", "", $"line {node.Start.Line}: {message}")]);
}
