namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// A piece of SQL that is safe to splice into a statement: SQL written in this assembly, or a value
/// that went through <see cref="ClickHouseSql"/>. There is no conversion from <see cref="string"/>, so a
/// raw user value cannot reach a statement by accident.
/// </summary>
internal readonly struct SqlFragment
{
    private readonly string? _text;

    private SqlFragment(string text) => _text = text;

    public static SqlFragment Empty => default;

    public string Text => _text ?? string.Empty;

    /// <summary>SQL text written in this assembly (a clause, a type name); never a value from outside.</summary>
    public static SqlFragment Trusted(string sql) => new(sql);

    /// <summary>Composes SQL from literal text and other fragments (see <see cref="SqlInterpolatedStringHandler"/>).</summary>
    public static SqlFragment Format(ref SqlInterpolatedStringHandler sql) => new(sql.Build());

    /// <summary>Joins fragments with a separator written in this assembly (<c>", "</c>, <c>" AND "</c>).</summary>
    public static SqlFragment Join(string separator, IEnumerable<SqlFragment> fragments) =>
        new(string.Join(separator, fragments.Select(f => f.Text)));

    public override string ToString() => Text;
}
