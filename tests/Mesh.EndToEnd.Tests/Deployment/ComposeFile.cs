using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Mesh.EndToEnd.Tests.Deployment;

/// <summary>
/// The repo's <c>docker-compose.yml</c> read the way Compose reads it, as far as the tests need: anchors, <c>&lt;&lt;</c>
/// merge keys (explicit keys win), and <c>${VAR:-default}</c> interpolation with the defaults (no variables set).
/// </summary>
internal sealed partial class ComposeFile
{
    private ComposeFile(string root, YamlMappingNode document)
    {
        Root = root;
        Services = Mapping(document.Children[new YamlScalarNode("services")])
            .ToDictionary(s => s.Key, s => new ComposeService(s.Key, Mapping(s.Value)), StringComparer.Ordinal);
    }

    public string Root { get; }

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public static ComposeFile Load(string root)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, "docker-compose.yml")))
        {
            stream.Load(reader);
        }

        return new ComposeFile(root, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>A mapping's entries by key, with <c>&lt;&lt;: *anchor</c> (or a list of anchors) merged in under the explicit keys.</summary>
    public static Dictionary<string, YamlNode> Mapping(YamlNode node)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in ((YamlMappingNode)node).Children)
        {
            if (((YamlScalarNode)key).Value != "<<")
            {
                result[((YamlScalarNode)key).Value!] = value;
            }
        }

        foreach (var (key, value) in ((YamlMappingNode)node).Children)
        {
            if (((YamlScalarNode)key).Value == "<<")
            {
                var merged = value is YamlSequenceNode list ? list.Children : [value];
                foreach (var source in merged)
                {
                    foreach (var (k, v) in Mapping(source))
                    {
                        result.TryAdd(k, v);
                    }
                }
            }
        }

        return result;
    }

    public static string Scalar(YamlNode node) => Interpolate(((YamlScalarNode)node).Value ?? string.Empty);

    public static IReadOnlyList<string> Strings(YamlNode node) => [.. ((YamlSequenceNode)node).Children.Select(Scalar)];

    /// <summary><c>${NAME:-default}</c> and <c>${NAME-default}</c> as Compose fills them with nothing set; a bare <c>${NAME}</c> is an error here.</summary>
    public static string Interpolate(string text) => Variable().Replace(text, m => m.Groups["default"].Success
        ? m.Groups["default"].Value
        : throw new InvalidOperationException($"docker-compose.yml uses ${{{m.Groups["name"].Value}}} without a default"));

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:?-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}

/// <summary>One service of the compose file, its values interpolated.</summary>
internal sealed class ComposeService(string name, Dictionary<string, YamlNode> entries)
{
    public string Name { get; } = name;

    public string? Image => entries.TryGetValue("image", out var image) ? ComposeFile.Scalar(image) : null;

    public string? Build => entries.TryGetValue("build", out var build)
        ? build is YamlScalarNode ? ComposeFile.Scalar(build) : ComposeFile.Scalar(ComposeFile.Mapping(build)["context"])
        : null;

    public IReadOnlyList<string> Command => entries.TryGetValue("command", out var command) ? ComposeFile.Strings(command) : [];

    public IReadOnlyList<string> Entrypoint => entries.TryGetValue("entrypoint", out var entrypoint) ? ComposeFile.Strings(entrypoint) : [];

    public string? NetworkMode => entries.TryGetValue("network_mode", out var mode) ? ComposeFile.Scalar(mode) : null;

    public IReadOnlyDictionary<string, string> Environment => entries.TryGetValue("environment", out var environment)
        ? ComposeFile.Mapping(environment).ToDictionary(e => e.Key, e => ComposeFile.Scalar(e.Value), StringComparer.Ordinal)
        : new Dictionary<string, string>();

    /// <summary>Volume entries as (source, target): a bind mount's source starts with <c>./</c>.</summary>
    public IReadOnlyList<(string Source, string Target)> Volumes => entries.TryGetValue("volumes", out var volumes)
        ? [.. ComposeFile.Strings(volumes).Select(v => v.Split(':')).Select(p => (p[0], p[1]))]
        : [];

    /// <summary>Published ports as (host, container).</summary>
    public IReadOnlyList<(int Host, int Container)> Ports => entries.TryGetValue("ports", out var ports)
        ? [.. ComposeFile.Strings(ports).Select(p => p.Split(':')).Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))]
        : [];

    public IReadOnlyList<string> DependsOn => entries.TryGetValue("depends_on", out var depends) ? ComposeFile.Strings(depends) : [];
}
