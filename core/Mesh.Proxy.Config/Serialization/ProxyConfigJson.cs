using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mesh.Proxy.Config.Serialization;

/// <summary>
/// JSON options for the snapshot: camelCase, durations as strings, enums by their config names, unknown fields
/// rejected. Reflection-based on purpose: the source generator assigns every init-only property on construction,
/// which would replace the records' defaults with null for fields a file leaves out.
/// </summary>
internal static class ProxyConfigJson
{
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            WriteIndented = indented,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new DurationJsonConverter());
        options.Converters.Add(new LenientStringJsonConverter());
        options.MakeReadOnly();
        return options;
    }
}
