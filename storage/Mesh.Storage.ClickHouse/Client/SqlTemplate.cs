using System.Reflection;
using System.Text;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// A statement from <c>Sql/*.sql</c> with <c>{name}</c> placeholders. Rendering is one pass over the
/// parsed segments, so text that a placeholder brings in is never scanned for placeholders again
/// (a value containing <c>{spans}</c> stays a value).
/// </summary>
internal sealed class SqlTemplate
{
    private readonly string _name;
    private readonly Segment[] _segments;

    private SqlTemplate(string name, Segment[] segments)
    {
        _name = name;
        _segments = segments;
    }

    /// <summary>Loads <c>Sql/{name}.sql</c> from this assembly's embedded resources.</summary>
    public static SqlTemplate Load(string name)
    {
        var resource = $"Mesh.Storage.ClickHouse.Sql.{name}.sql";
        using var stream = typeof(SqlTemplate).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The SQL resource '{resource}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);

        // Whole-line comments explain the files; the server's query log needs only the statement.
        var lines = reader.ReadToEnd().Split('\n').Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return Parse(name, string.Join('\n', lines).Trim());
    }

    public static SqlTemplate Parse(string name, string text)
    {
        var segments = new List<Segment>();
        var literalStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '{')
            {
                continue;
            }

            var end = i + 1;
            while (end < text.Length && (char.IsAsciiLetterLower(text[end]) || char.IsAsciiDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            if (end == i + 1 || end == text.Length || text[end] != '}')
            {
                continue;
            }

            if (i > literalStart)
            {
                segments.Add(new Segment(text[literalStart..i], IsPlaceholder: false));
            }

            segments.Add(new Segment(text[(i + 1)..end], IsPlaceholder: true));
            literalStart = end + 1;
            i = end;
        }

        if (literalStart < text.Length)
        {
            segments.Add(new Segment(text[literalStart..], IsPlaceholder: false));
        }

        return new SqlTemplate(name, [.. segments]);
    }

    /// <summary>
    /// The literal text before the first placeholder, and that placeholder's name (null when there is none): how the
    /// DDL generator tells which table <c>CREATE TABLE IF NOT EXISTS {spans}</c> creates.
    /// </summary>
    public (string Lead, string? Placeholder) Head()
    {
        var lead = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (segment.IsPlaceholder)
            {
                return (lead.ToString(), segment.Text);
            }

            lead.Append(segment.Text);
        }

        return (lead.ToString(), null);
    }

    /// <summary>Fills the placeholders named in <paramref name="values"/> and keeps the others for a later render.</summary>
    public SqlTemplate Bind(IReadOnlyDictionary<string, SqlFragment> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var segments = _segments
            .Select(s => s.IsPlaceholder && values.TryGetValue(s.Text, out var value) ? new Segment(value.Text, IsPlaceholder: false) : s)
            .ToArray();
        return new SqlTemplate(_name, segments);
    }

    /// <summary>The statement with every placeholder filled; a placeholder without a value is a bug and throws.</summary>
    public SqlFragment Render(params ReadOnlySpan<(string Name, SqlFragment Value)> values)
    {
        var sql = new StringBuilder();
        foreach (var segment in _segments)
        {
            if (!segment.IsPlaceholder)
            {
                sql.Append(segment.Text);
                continue;
            }

            var found = false;
            foreach (var (name, value) in values)
            {
                if (name == segment.Text)
                {
                    sql.Append(value.Text);
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                throw new InvalidOperationException($"SQL template '{_name}' has no value for placeholder {{{segment.Text}}}.");
            }
        }

        return SqlFragment.Trusted(sql.ToString());
    }

    private readonly record struct Segment(string Text, bool IsPlaceholder);
}
