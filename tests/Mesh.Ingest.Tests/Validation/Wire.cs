namespace Mesh.Ingest.Tests.Validation;

/// <summary>
/// Hand-written protobuf wire bytes, for what a generated serializer never emits: repeated singular fields,
/// explicit empty values, unexpected wire types, groups, padded varints and plain garbage.
/// </summary>
internal static class Wire
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    public static byte[] Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    /// <summary>A length-delimited field (wire type 2) holding the concatenation of <paramref name="parts"/>.</summary>
    public static byte[] Len(int field, params byte[][] parts)
    {
        var body = Concat(parts);
        return Concat(Tag(field, 2), Varint((ulong)body.Length), body);
    }

    public static byte[] Text(int field, string value) => Len(field, System.Text.Encoding.UTF8.GetBytes(value));

    public static byte[] VarintField(int field, ulong value) => Concat(Tag(field, 0), Varint(value));

    public static byte[] Fixed64(int field, ulong value) => Concat(Tag(field, 1), BitConverter.GetBytes(value));

    public static byte[] Fixed32(int field, uint value) => Concat(Tag(field, 5), BitConverter.GetBytes(value));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Id(int length, byte fill = 0xAB) => Enumerable.Repeat(fill, length).ToArray();

    /// <summary>A span with valid ids plus <paramref name="more"/> fields.</summary>
    public static byte[] Span(params byte[][] more) => Concat([Len(1, Id(16)), Len(2, Id(8)), Text(5, "op"), .. more]);

    /// <summary>A trace request with one resource, one scope and the given encoded spans.</summary>
    public static byte[] Traces(params byte[][] spans) => Len(1, Len(2, [.. spans.Select(s => Len(2, s))]));

    /// <summary>A logs request with one resource, one scope and the given encoded log records.</summary>
    public static byte[] Logs(params byte[][] records) => Len(1, Len(2, [.. records.Select(r => Len(2, r))]));

    /// <summary>A <c>KeyValue</c> whose value is the given encoded <c>AnyValue</c>.</summary>
    public static byte[] Attribute(string key, byte[] anyValue) => Concat(Text(1, key), Len(2, anyValue));
}
