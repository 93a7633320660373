using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config.Serialization;

/// <summary>
/// Strings that YAML wrote as plain numbers or booleans (<c>version: 2</c>, <c>value: true</c>) read as their text,
/// as a person meant them.
/// </summary>
internal sealed class LenientStringJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => throw new JsonException($"expected a string, got {Describe(reader.TokenType)}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString()!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "a mapping",
        JsonTokenType.StartArray => "a list",
        _ => token.ToString(),
    };
}
