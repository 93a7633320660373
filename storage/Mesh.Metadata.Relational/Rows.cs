using System.Data.Common;
using System.Globalization;

namespace Mesh.Metadata.Relational;

/// <summary>Column readers that work on every backend: times are Unix milliseconds in BIGINT columns.</summary>
internal static class Rows
{
    public static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static long? NullableLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Long(reader, ordinal);

    public static string Text(DbDataReader reader, int ordinal) => reader.GetString(ordinal);

    public static string? NullableText(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset Time(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(Long(reader, ordinal));

    public static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) =>
        NullableLong(reader, ordinal) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}
