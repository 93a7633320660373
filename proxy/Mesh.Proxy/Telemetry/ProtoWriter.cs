using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Mesh.Proxy.Telemetry;

/// <summary>
/// Minimal protobuf writer into one pooled, reused buffer: the exporter encodes whole OTLP requests without building
/// message objects. A nested message reserves one length byte and is shifted right only when its length needs more
/// (spans and log records, once each; attributes almost never).
/// </summary>
internal sealed class ProtoWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int initialCapacity = 256 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public byte[] Buffer => _buffer;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Reset() => _length = 0;

    /// <summary>Key field (1) of a KeyValue, pre-encoded once per attribute name.</summary>
    public static byte[] KeyField(string key)
    {
        var utf8 = Encoding.UTF8.GetBytes(key);
        var bytes = new byte[1 + VarintSize((ulong)utf8.Length) + utf8.Length];
        bytes[0] = 0x0A;
        var n = WriteVarint(bytes.AsSpan(1), (ulong)utf8.Length);
        utf8.CopyTo(bytes, 1 + n);
        return bytes;
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Tag(int field, int wireType) => Varint((ulong)(((uint)field << 3) | (uint)wireType));

    public void Varint(ulong value)
    {
        Ensure(10);
        _length += WriteVarint(_buffer.AsSpan(_length), value);
    }

    public void VarintField(int field, ulong value)
    {
        Tag(field, 0);
        Varint(value);
    }

    public void Fixed64Field(int field, ulong value)
    {
        Tag(field, 1);
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void DoubleField(int field, double value) => Fixed64Field(field, BitConverter.DoubleToUInt64Bits(value));

    public void Fixed32Field(int field, uint value)
    {
        Tag(field, 5);
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void BytesField(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        Raw(value);
    }

    public void StringField(int field, string value)
    {
        Tag(field, 2);
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var size = max < 128 ? 1 : VarintSize((ulong)Encoding.UTF8.GetByteCount(value));
        Ensure(size + max);
        var start = _length + size;
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(start));
        _length += WriteVarint(_buffer.AsSpan(_length, size), (ulong)written) + written;
    }

    /// <summary>Starts a length-delimited field; returns the bookmark <see cref="EndMessage"/> needs.</summary>
    public int BeginMessage(int field)
    {
        Tag(field, 2);
        Ensure(1);
        _buffer[_length++] = 0;
        return _length;
    }

    public void EndMessage(int start)
    {
        var length = _length - start;
        var size = VarintSize((ulong)length);
        if (size > 1)
        {
            Ensure(size - 1);
            _buffer.AsSpan(start, length).CopyTo(_buffer.AsSpan(start + size - 1));
            _length += size - 1;
        }

        WriteVarint(_buffer.AsSpan(start - 1, size), (ulong)length);
    }

    /// <summary>Room for at least <paramref name="count"/> more bytes at the end (for formatting straight into it).</summary>
    public Span<byte> GetSpan(int count)
    {
        Ensure(count);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int count)
    {
        if (_length + count <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
