using System.Globalization;
using System.Text.RegularExpressions;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// Reads the error text ClickHouse sends with a failed HTTP reply. Two shapes exist:
/// <c>Code: 62, e.displayText() = DB::Exception: …, e.what() = DB::Exception</c> (18.x and 19.x) and
/// <c>Code: 62. DB::Exception: … (SYNTAX_ERROR) (version 23.8.1.1)</c> (20.x onwards).
/// </summary>
internal static partial class ClickHouseError
{
    /// <summary>
    /// Codes that mean "try again later" rather than "this statement is wrong": timeouts, network
    /// trouble between nodes, overload (too many queries, memory, too many parts), read-only replicas.
    /// </summary>
    private static readonly HashSet<int> TransientCodes =
    [
        159, // TIMEOUT_EXCEEDED
        164, // READONLY (a replica lost its coordination session)
        202, // TOO_MANY_SIMULTANEOUS_QUERIES
        209, // SOCKET_TIMEOUT
        210, // NETWORK_ERROR
        241, // MEMORY_LIMIT_EXCEEDED
        242, // TABLE_IS_READ_ONLY
        252, // TOO_MANY_PARTS
        285, // TOO_FEW_LIVE_REPLICAS
        319, // UNKNOWN_STATUS_OF_INSERT
        999, // KEEPER_EXCEPTION
    ];

    /// <summary>
    /// Whether waiting may help. TOO_MANY_PARTS also reports a block spread over more partitions than
    /// max_partitions_per_insert_block allows, which no retry of the same block fixes.
    /// </summary>
    public static bool IsTransient(int code, string message) =>
        TransientCodes.Contains(code)
        && !(code == 252 && message.Contains("partitions for single INSERT block", StringComparison.OrdinalIgnoreCase));

    public static bool TryParse(string body, out int code, out string message)
    {
        code = 0;
        message = string.Empty;
        var text = body.AsSpan().Trim();
        if (!text.StartsWith("Code: ", StringComparison.Ordinal))
        {
            return false;
        }

        text = text["Code: ".Length..];
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || !int.TryParse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            return false;
        }

        text = text[digits..];
        text = text.StartsWith(", e.displayText() = ", StringComparison.Ordinal) ? text[", e.displayText() = ".Length..]
            : text.StartsWith(". ", StringComparison.Ordinal) ? text[2..]
            : text.TrimStart(", ");
        const string OldSuffix = ", e.what() = DB::Exception";
        if (text.EndsWith(OldSuffix, StringComparison.Ordinal))
        {
            text = text[..^OldSuffix.Length];
        }

        const string Prefix = "DB::Exception: ";
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }

        message = VersionSuffix().Replace(text.ToString(), string.Empty).Trim();
        return true;
    }

    [GeneratedRegex(@"\s*\(version [^()]*(\([^()]*\))?[^()]*\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();
}
