using Mesh.Storage.ClickHouse.Client;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseSqlTests(ClickHouseServer server)
{
    private static readonly string[] Nasty =
    [
        string.Empty,
        "'",
        "''",
        "\\",
        "\\'",
        "ends with backslash\\",
        "a\\nb (a backslash and an n)",
        "line\nbreak",
        "crlf\r\n",
        "tab\there",
        "nul\0inside",
        "\0",
        "controls \x01\x02\x1b\x1f\x7f",
        "\b\f\v\a",
        "héllo wörld ✓ 日本語 🎉 \u2028 \u00a0",
        "'; DROP TABLE spans; --",
        "' OR 1=1 OR '",
        "`backtick` \"double\"",
        "{spans} {filters}",
        "\\x41 \\0 \\u0041",
        "?query=SELECT 1&x=%27",
    ];

    public static TheoryData<string> NastyStrings => new(Nasty);

    [Theory]
    [MemberData(nameof(NastyStrings))]
    public async Task Quote_NastyString_RoundTripsThroughTheServer(string value)
    {
        using var client = new ClickHouseHttpClient(new() { Endpoint = server.HttpUrl });

        var body = await client.QueryAsync(SqlFragment.Format($"SELECT {ClickHouseSql.Quote(value)} AS s FORMAT JSONEachRow"), CancellationToken.None);

        Assert.Equal(value, Assert.Single(JsonEachRow.Read(body, row => JsonEachRow.String(row, "s"))));
    }

    [Fact]
    public async Task QuoteList_NastyStrings_MatchWithIn()
    {
        using var client = new ClickHouseHttpClient(new() { Endpoint = server.HttpUrl });
        var values = Nasty.ToList();

        var body = await client.QueryAsync(
            SqlFragment.Format($"SELECT count() AS c FROM (SELECT arrayJoin([{ClickHouseSql.QuoteList(values)}]) AS v) WHERE v IN ({ClickHouseSql.QuoteList(values)}) FORMAT JSONEachRow"),
            CancellationToken.None);

        Assert.Equal(values.Count, Assert.Single(JsonEachRow.Read(body, row => JsonEachRow.Int32(row, "c"))));
    }

    [Fact]
    public void Quote_ControlCharacters_AreEscapedNotRaw()
    {
        var sql = ClickHouseSql.Quote("a'b\\c\nd\te\0f\x01").Text;

        Assert.Equal(@"'a\'b\\c\nd\te\0f\x01'", sql);
    }

    [Fact]
    public void Identifier_WithBacktick_IsEscaped()
    {
        Assert.Equal("`we\\`ird`", ClickHouseSql.Identifier("we`ird").Text);
    }

    [Fact]
    public void DateTime_OutOfRange_IsClamped()
    {
        Assert.Equal("toDateTime(0)", ClickHouseSql.DateTime(-5).Text);
        Assert.Equal("toDateTime(4294967295)", ClickHouseSql.DateTime(long.MaxValue).Text);
    }

    [Fact]
    public void Render_ValueContainingAPlaceholder_IsNotExpandedAgain()
    {
        var template = SqlTemplate.Parse("t", "SELECT {a}, {b}");

        var sql = template.Render(("a", ClickHouseSql.Quote("{b}")), ("b", SqlFragment.Trusted("2")));

        Assert.Equal("SELECT '{b}', 2", sql.Text);
    }

    [Fact]
    public void Render_MissingPlaceholder_Throws()
    {
        var template = SqlTemplate.Parse("t", "SELECT {a}");

        var error = Assert.Throws<InvalidOperationException>(() => template.Render());

        Assert.Contains("{a}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BracesThatAreNotPlaceholders_StayText()
    {
        var template = SqlTemplate.Parse("t", "SELECT '{Not One}', '{}', {x");

        Assert.Equal("SELECT '{Not One}', '{}', {x", template.Render().Text);
    }
}
