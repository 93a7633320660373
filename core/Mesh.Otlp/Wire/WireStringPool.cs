using System.Text;

namespace Mesh.Otlp.Wire;

/// <summary>
/// Strings for protobuf text that repeats (service names, routes, span names): the same UTF-8 gives the same
/// string instance, decoded as the model decodes it (invalid UTF-8 becomes replacement characters), and a known
/// text costs a lookup, not an allocation. Bounded: when full it starts over, so high-cardinality text cannot grow it.
/// Not thread-safe.
/// </summary>
internal sealed class WireStringPool
{
    /// <summary>Longer text is decoded each time, not pooled (it is rarely a repeated label).</summary>
    private const int MaxPooledBytes = 256;
    private const int MaxEntries = 16_384;

    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxPooledBytes)
        {
            return WireText.Decode(utf8);
        }

        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        Span<char> chars = stackalloc char[MaxPooledBytes];
        chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        var lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var known))
        {
            return known;
        }

        if (_pool.Count >= MaxEntries)
        {
            _pool.Clear();
        }

        var text = new string(chars);
        _pool[text] = text;
        return text;
    }
}
