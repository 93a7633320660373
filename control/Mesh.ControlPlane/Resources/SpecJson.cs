using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mesh.Proxy.Config.Serialization;

namespace Mesh.ControlPlane.Resources;

/// <summary>
/// JSON options for resource specs: camelCase, unknown fields refused, enums by their config names, durations as
/// <c>250ms</c>/<c>5s</c>. Reflection-based so records keep their defaults for fields a document leaves out.
/// </summary>
internal static class SpecJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new SpecDurationConverter());
        options.MakeReadOnly();
        return options;
    }

    private sealed class SpecDurationConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Durations.TryParse(reader.GetString()!, out var value)
                ? value
                : throw new JsonException("expected a duration such as 250ms, 5s, 2m or 1h");

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Durations.Format(value));
    }
}
