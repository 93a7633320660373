using System.Globalization;
using System.Text;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// The one place where values become SQL. ClickHouse string literals take backslash escapes
/// (<c>\\ \' \n \t \0 \xHH</c>); everything that is not printable is escaped so a statement stays on
/// readable lines in the server's query log, and numbers are written in the invariant culture.
/// </summary>
internal static class ClickHouseSql
{
    private const string Hex = "0123456789abcdef";

    /// <summary>A quoted string literal.</summary>
    public static SqlFragment Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sql = new StringBuilder(value.Length + 2);
        AppendQuoted(sql, value);
        return SqlFragment.Trusted(sql.ToString());
    }

    public static SqlFragment Number(long value) => SqlFragment.Trusted(value.ToString(CultureInfo.InvariantCulture));

    public static SqlFragment Number(ulong value) => SqlFragment.Trusted(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A <c>DateTime</c> for whole Unix seconds, clamped to the type's range (1970 to 2106) so a
    /// far-off bound from a client still compares as "before everything" or "after everything".
    /// </summary>
    public static SqlFragment DateTime(long unixSeconds) =>
        SqlFragment.Trusted(string.Create(CultureInfo.InvariantCulture, $"toDateTime({Math.Clamp(unixSeconds, 0, uint.MaxValue)})"));

    /// <summary>A back-quoted identifier (database or table name).</summary>
    public static SqlFragment Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var sql = new StringBuilder(name.Length + 2).Append('`');
        foreach (var c in name)
        {
            if (c is '`' or '\\')
            {
                sql.Append('\\');
            }

            sql.Append(c);
        }

        return SqlFragment.Trusted(sql.Append('`').ToString());
    }

    /// <summary>A comma-separated list of quoted string literals, for <c>IN (…)</c>.</summary>
    public static SqlFragment QuoteList(IEnumerable<string> values)
    {
        var sql = new StringBuilder();
        foreach (var value in values)
        {
            if (sql.Length != 0)
            {
                sql.Append(", ");
            }

            AppendQuoted(sql, value);
        }

        return SqlFragment.Trusted(sql.ToString());
    }

    private static void AppendQuoted(StringBuilder sql, string value)
    {
        sql.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    sql.Append(@"\\");
                    break;
                case '\'':
                    sql.Append(@"\'");
                    break;
                case '\n':
                    sql.Append(@"\n");
                    break;
                case '\r':
                    sql.Append(@"\r");
                    break;
                case '\t':
                    sql.Append(@"\t");
                    break;
                case '\0':
                    sql.Append(@"\0");
                    break;
                case < ' ' or '\x7f':
                    sql.Append(@"\x").Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                    break;
                default:
                    sql.Append(c);
                    break;
            }
        }

        sql.Append('\'');
    }
}
