namespace Mesh.Demo.Faults;

/// <summary>Segment-wise matching of paths against route templates (<c>{name}</c> matches any one segment).</summary>
internal static class RoutePath
{
    /// <summary>True when every segment of one equals the other's or either side's is a <c>{parameter}</c>.</summary>
    public static bool Matches(string a, string b)
    {
        var left = a.Trim('/').Split('/');
        var right = b.Trim('/').Split('/');
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!IsParameter(left[i]) && !IsParameter(right[i]) && !string.Equals(left[i], right[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
}
