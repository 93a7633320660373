using System.Text.RegularExpressions;
using Mesh.Storage.ClickHouse.Client;
using Mesh.Storage.ClickHouse.Rows;

namespace Mesh.Storage.ClickHouse.Spans;

/// <summary>
/// The per-row expressions of <c>select_top_operations.sql</c>, on the span's attributes in AttributeText form or, for
/// rows written before it, in the search arrays. Only functions that 18.16 has (<c>extract</c>, <c>toInt64OrZero</c>,
/// <c>arrayExists</c>, <c>indexOf</c>).
/// </summary>
internal static class TopOperationsSql
{
    /// <summary>A mesh proxy's server span: <c>mesh.direction</c> is inbound or ingress.</summary>
    public static readonly SqlFragment Proxy = SqlFragment.Format(
        $"({Has("mesh.direction", "inbound")} OR {Has("mesh.direction", "ingress")})");

    /// <summary>Failed as <c>SpanFacts.IsError</c>: status ERROR, HTTP 5xx, gRPC non-OK. A value that is not a number counts as none.</summary>
    public static readonly SqlFragment Error = SqlFragment.Format(
        $"(status_code = 2 OR {Number("http.response.status_code")} >= 500 OR {Number("http.status_code")} >= 500 OR {Number("rpc.grpc.status_code")} != 0)");

    private static SqlFragment Has(string key, string value)
    {
        var needle = ClickHouseSql.Quote(AttributeText.Needle(key, value));
        return SqlFragment.Format(
            $"(position(attr_text, {needle}) > 0 OR arrayExists((k, v) -> k = {ClickHouseSql.Quote(key)} AND v = {ClickHouseSql.Quote(value)}, search_keys, search_values))");
    }

    /// <summary>
    /// The attribute's integer part (a double's digits before the point), 0 when absent. The pattern is the entry's
    /// key between its separators, then the display text up to the next one.
    /// </summary>
    private static SqlFragment Number(string key)
    {
        var pattern = $"{(char)AttributeText.RecordSeparator}{Regex.Escape(key)}{(char)AttributeText.UnitSeparator}(-?[0-9]+)(?:\\.[0-9]*)?{(char)AttributeText.UnitSeparator}";
        return SqlFragment.Format(
            $"toInt64OrZero(if(attr_text != '', extract(attr_text, {ClickHouseSql.Quote(pattern)}), search_values[indexOf(search_keys, {ClickHouseSql.Quote(key)})]))");
    }
}
