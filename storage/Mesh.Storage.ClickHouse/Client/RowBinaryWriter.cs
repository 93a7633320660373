using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Mesh.Storage.ClickHouse.Client;

/// <summary>
/// Encodes values in ClickHouse's <c>RowBinary</c> format into one pooled buffer: fixed-width numbers
/// little-endian, strings as a LEB128 length and UTF-8 bytes, arrays as a LEB128 count and elements.
/// The owner flushes the buffer to the request stream between rows and calls <see cref="Clear"/>.
/// </summary>
internal sealed class RowBinaryWriter : IDisposable
{
    /// <summary>Strings up to this many UTF-16 units encode to at most 127 bytes: one length byte, one pass.</summary>
    private const int OnePassChars = 127 / 3;

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private byte[] _buffer;
    private int _length;

    public RowBinaryWriter(int initialCapacity) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops what was written after <paramref name="length"/> (a position read from <see cref="Length"/>).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    public void WriteUInt8(byte value)
    {
        GetSpan(1)[0] = value;
        _length++;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(GetSpan(4), value);
        _length += 4;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(GetSpan(4), value);
        _length += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(GetSpan(8), value);
        _length += 8;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(GetSpan(8), value);
        _length += 8;
    }

    /// <summary>LEB128, as ClickHouse writes string lengths and array sizes.</summary>
    public void WriteVarUInt(ulong value)
    {
        var span = GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _length += i;
    }

    /// <summary>A <c>String</c>: length and UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        if (value.Length <= OnePassChars)
        {
            // Short strings (names, ids, most attribute values) are encoded straight after a one-byte length.
            var span = GetSpan(1 + (value.Length * 3));
            var count = Encoding.UTF8.GetBytes(value, span[1..]);
            span[0] = (byte)count;
            _length += 1 + count;
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)byteCount);
        _length += Encoding.UTF8.GetBytes(value, GetSpan(byteCount));
    }

    /// <summary>A <c>String</c> from bytes that are already UTF-8.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteVarUInt((ulong)utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Bytes as lower-case hex with no length: a <c>FixedString(2 × n)</c>.</summary>
    public void WriteHex(ReadOnlySpan<byte> bytes)
    {
        var span = GetSpan(bytes.Length * 2);
        for (var i = 0; i < bytes.Length; i++)
        {
            span[2 * i] = HexDigits[bytes[i] >> 4];
            span[(2 * i) + 1] = HexDigits[bytes[i] & 0xF];
        }

        _length += bytes.Length * 2;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Room for at least <paramref name="size"/> bytes at the end; the caller advances <see cref="Length"/> by what it wrote.</summary>
    private Span<byte> GetSpan(int size)
    {
        Ensure(size);
        return _buffer.AsSpan(_length);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int size)
    {
        if (_buffer.Length - _length >= size)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
        _buffer.AsSpan(0, _length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
