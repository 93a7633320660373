using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Proxy.Config.Serialization;

/// <summary>TimeSpan as a duration string ("250ms"); a bare number reads as seconds.</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (reader.TokenType == JsonTokenType.String && Durations.TryParse(reader.GetString()!, out var value))
        {
            return value;
        }

        var raw = reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString();
        throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"'{raw}' is not a duration (write e.g. 250ms, 5s, 2m)"));
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Durations.Format(value));
}
