using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// Reads a <c>FORMAT JSONEachRow</c> reply: one JSON object per line. ClickHouse quotes 64-bit integers
/// by default (JavaScript cannot hold them), so the number readers accept a number or a quoted number.
/// </summary>
internal static class JsonEachRow
{
    public static List<T> Read<T>(byte[] body, Func<JsonElement, T> map)
    {
        var rows = new List<T>();
        ReadOnlyMemory<byte> remaining = body;
        while (!remaining.IsEmpty)
        {
            var end = remaining.Span.IndexOf((byte)'\n');
            var line = end < 0 ? remaining : remaining[..end];
            remaining = end < 0 ? ReadOnlyMemory<byte>.Empty : remaining[(end + 1)..];
            if (line.Span.Trim((byte)'\r').IsEmpty)
            {
                continue;
            }

            if (line.Span[0] != (byte)'{')
            {
                // An exception thrown after the reply started is appended as text to a 200 reply.
                var text = Encoding.UTF8.GetString(line.Span);
                throw ClickHouseError.TryParse(text, out var code, out var message)
                    ? new ClickHouseException(code, message, HttpStatusCode.OK)
                    : new ClickHouseException(0, $"Unexpected line in a JSONEachRow reply: {text}", HttpStatusCode.OK);
            }

            using var document = JsonDocument.Parse(line);
            rows.Add(map(document.RootElement));
        }

        return rows;
    }

    public static string String(JsonElement row, string column) => row.GetProperty(column).GetString() ?? string.Empty;

    public static long Int64(JsonElement row, string column)
    {
        var value = row.GetProperty(column);
        return value.ValueKind == JsonValueKind.String
            ? long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : value.GetInt64();
    }

    public static ulong UInt64(JsonElement row, string column)
    {
        var value = row.GetProperty(column);
        return value.ValueKind == JsonValueKind.String
            ? ulong.Parse(value.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
            : value.GetUInt64();
    }

    public static int Int32(JsonElement row, string column) => checked((int)Int64(row, column));

    public static uint UInt32(JsonElement row, string column) => checked((uint)UInt64(row, column));

    public static List<string> StringArray(JsonElement row, string column)
    {
        var array = row.GetProperty(column);
        var list = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            list.Add(item.GetString() ?? string.Empty);
        }

        return list;
    }
}
