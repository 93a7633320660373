using System.Globalization;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>A server version as <c>SELECT version()</c> reports it (<c>18.16.1</c>, <c>24.3.2.23</c>).</summary>
internal readonly record struct ClickHouseVersion(int Major, int Minor, int Patch) : IComparable<ClickHouseVersion>
{
    public static bool TryParse(string? text, out ClickHouseVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        Span<int> parts = stackalloc int[3];
        var count = 0;
        foreach (var range in text.AsSpan().Trim().Split('.'))
        {
            if (count == parts.Length)
            {
                break;
            }

            var part = text.AsSpan().Trim()[range];
            var digits = 0;
            while (digits < part.Length && char.IsAsciiDigit(part[digits]))
            {
                digits++;
            }

            if (digits == 0 || !int.TryParse(part[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                return false;
            }

            count++;
            if (digits != part.Length)
            {
                break;
            }
        }

        if (count < 2)
        {
            return false;
        }

        version = new ClickHouseVersion(parts[0], parts[1], count > 2 ? parts[2] : 0);
        return true;
    }

    public int CompareTo(ClickHouseVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    public static bool operator <(ClickHouseVersion left, ClickHouseVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ClickHouseVersion left, ClickHouseVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ClickHouseVersion left, ClickHouseVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ClickHouseVersion left, ClickHouseVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
