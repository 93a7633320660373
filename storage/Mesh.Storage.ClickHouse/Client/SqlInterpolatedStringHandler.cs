using System.Runtime.CompilerServices;
using System.Text;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// Lets <see cref="SqlFragment.Format"/> take <c>$"service = {ClickHouseSql.Quote(name)}"</c> while refusing
/// holes of any other type at compile time: only literals written here and fragments reach the SQL.
/// </summary>
[InterpolatedStringHandler]
internal readonly ref struct SqlInterpolatedStringHandler
{
    private readonly StringBuilder _sql;

    public SqlInterpolatedStringHandler(int literalLength, int formattedCount) =>
        _sql = new StringBuilder(literalLength + (formattedCount * 24));

    public void AppendLiteral(string sql) => _sql.Append(sql);

    public void AppendFormatted(SqlFragment fragment) => _sql.Append(fragment.Text);

    internal string Build() => _sql.ToString();
}
