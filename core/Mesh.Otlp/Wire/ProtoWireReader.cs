using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Mesh.Otlp.Wire;

/// <summary>
/// A forward-only reader of the protobuf wire format over one message's bytes. It never throws and never
/// allocates: every read returns false on input Google.Protobuf would reject (truncated or over-long varints,
/// lengths past the end, field number 0, wire types 6 and 7) and, to stay simple, on groups (wire types 3 and 4),
/// which OTLP never uses. A length-delimited value comes back as a slice, so a nested message is read by a
/// reader of its own, bounded to exactly its bytes, as Google.Protobuf bounds it with a pushed limit.
/// </summary>
public ref struct ProtoWireReader
{
    public const uint Varint = 0;
    public const uint Fixed64 = 1;
    public const uint Len = 2;
    public const uint Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtoWireReader(ReadOnlySpan<byte> buffer) => _buffer = buffer;

    public readonly bool End => _position >= _buffer.Length;

    /// <summary>Reads a tag (field number &lt;&lt; 3 | wire type) with a non-zero field number and wire type 0, 1, 2 or 5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadTag(out uint tag)
    {
        // A tag wider than 32 bits is truncated by Google.Protobuf, not rejected; refusing it is the safe side.
        if (!TryReadVarint(out var value) || value > uint.MaxValue || value >> 3 == 0)
        {
            tag = 0;
            return false;
        }

        tag = (uint)value;
        return (tag & 7) is Varint or Fixed64 or Len or Fixed32;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarint(out ulong value)
    {
        var position = _position;
        if ((uint)position < (uint)_buffer.Length && _buffer[position] < 0x80)
        {
            value = _buffer[position];
            _position = position + 1;
            return true;
        }

        var next = ReadVarint(_buffer, position, out value);
        if (next < 0)
        {
            return false;
        }

        _position = next;
        return true;
    }

    /// <summary>Reads a length prefix and returns the value it delimits; false when it runs past the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadLengthDelimited(out ReadOnlySpan<byte> value)
    {
        if (!TryReadVarint(out var length) || length > (ulong)(_buffer.Length - _position))
        {
            value = default;
            return false;
        }

        value = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadFixed64(out ulong value)
    {
        if (_buffer.Length - _position < 8)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_position..]);
        _position += 8;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadFixed32(out uint value)
    {
        if (_buffer.Length - _position < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_position..]);
        _position += 4;
        return true;
    }

    /// <summary>Skips the value of a field with the given wire type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySkip(uint wireType)
    {
        var next = Skip(_buffer, _position, wireType);
        if (next < 0)
        {
            return false;
        }

        _position = next;
        return true;
    }

    // The multi-byte and skipping paths are static over (buffer, position), so no call takes the reader by
    // reference: that lets the JIT keep an inlined reader in registers in every scan method.

    /// <summary>Returns the position after the varint at <paramref name="position"/>, or -1 when truncated or over 10 bytes.</summary>
    private static int ReadVarint(ReadOnlySpan<byte> buffer, int position, out ulong value)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70 && position < buffer.Length; shift += 7)
        {
            var b = buffer[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                value = result;
                return position;
            }
        }

        // Truncated, or an 11th byte: Google.Protobuf throws on both.
        value = 0;
        return -1;
    }

    private static int Skip(ReadOnlySpan<byte> buffer, int position, uint wireType)
    {
        switch (wireType)
        {
            case Varint:
                return ReadVarint(buffer, position, out _);
            case Fixed64:
                return buffer.Length - position >= 8 ? position + 8 : -1;
            case Fixed32:
                return buffer.Length - position >= 4 ? position + 4 : -1;
            case Len:
                var next = ReadVarint(buffer, position, out var length);
                return next >= 0 && length <= (ulong)(buffer.Length - next) ? next + (int)length : -1;
            default:
                return -1;
        }
    }
}
