using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Proxy.Config.Serialization;
using Mesh.Proxy.Config.Validation;

namespace Mesh.Proxy.Config;

/// <summary>
/// Reads and writes the snapshot: YAML (the static file) and JSON (the control plane's feed and /config_dump)
/// are two spellings of the same model. Every read is validated; errors name the field path.
/// </summary>
public static class ProxyConfigSerializer
{
    /// <summary>Reads a .yaml/.yml or .json file.</summary>
    public static ProxyConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProxyConfigException($"cannot read config file '{path}': {ex.Message}");
        }

        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(text) : FromYaml(text);
    }

    public static ProxyConfig FromYaml(string yaml) => Bind(YamlToJson.Convert(yaml));

    public static ProxyConfig FromJson(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ProxyConfigException($"invalid JSON at line {ex.LineNumber + 1}: {StripPath(ex.Message)}");
        }

        return Bind(node);
    }

    public static string ToJson(ProxyConfig config, bool indented = false)
    {
        return JsonSerializer.Serialize(config, indented ? ProxyConfigJson.Indented : ProxyConfigJson.Compact);
    }

    private static ProxyConfig Bind(JsonNode? node)
    {
        if (node is not JsonObject)
        {
            throw new ProxyConfigException("the config must be a mapping with listeners, routes and clusters");
        }

        ProxyConfig? config;
        try
        {
            config = node.Deserialize<ProxyConfig>(ProxyConfigJson.Compact);
        }
        catch (JsonException ex)
        {
            throw new ProxyConfigException([JsonErrors.Describe(ex)]);
        }

        var errors = ProxyConfigValidator.Validate(config!);
        return errors.Count == 0 ? config! : throw new ProxyConfigException(errors);
    }

    internal static string StripPath(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
