using System.Buffers.Binary;
using System.Text;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// Reads a <c>FORMAT RowBinary</c> reply (the counterpart of <see cref="RowBinaryWriter"/>): fixed-width numbers
/// little-endian, strings and arrays after a LEB128 length. A reply that ends inside a value, or claims a length
/// past its end, is an <see cref="InvalidDataException"/>, never a read out of bounds.
/// </summary>
internal ref struct RowBinaryReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool End => _at >= _data.Length;

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _at;

    /// <summary>The bytes in [<paramref name="start"/>, <see cref="Position"/>): what was read since then.</summary>
    public readonly ReadOnlySpan<byte> Since(int start) => _data[start.._at];

    public byte ReadUInt8() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>A UInt64 that a caller keeps in a long: larger values are data this store never writes.</summary>
    public long ReadUInt64AsInt64()
    {
        var value = ReadUInt64();
        return value <= long.MaxValue ? (long)value : throw new InvalidDataException($"UInt64 {value} does not fit a signed 64-bit count");
    }

    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a LEB128 length in the RowBinary reply runs past 64 bits");
    }

    /// <summary>An array or string length, checked against what is left (each element takes at least <paramref name="minBytes"/>).</summary>
    public int ReadLength(int minBytes = 1)
    {
        var length = ReadVarUInt();
        return length <= (ulong)((_data.Length - _at) / Math.Max(1, minBytes))
            ? (int)length
            : throw new InvalidDataException($"a RowBinary length of {length} runs past the end of the reply");
    }

    public string ReadString() => Encoding.UTF8.GetString(Take(ReadLength()));

    /// <summary>Steps over a string (or any length-prefixed bytes).</summary>
    public void SkipString() => _ = Take(ReadLength());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _at)
        {
            throw new InvalidDataException($"the RowBinary reply ends inside a value (at byte {_at} of {_data.Length})");
        }

        var span = _data.Slice(_at, count);
        _at += count;
        return span;
    }
}
