using System.Buffers.Binary;

namespace Mesh.Ingest.Spool;

/// <summary>
/// The layout of one spool record (little-endian), followed by its payload:
/// <code>
///  0  u32  magic "MSR1"
///  4  u32  CRC-32C of the payload, continued over header bytes 8..24
///  8  u32  payload length
/// 12  u8   signal type
/// 13  u8×3 reserved, zero
/// 16  u64  record id
/// 24  ...  payload
/// </code>
/// The checksum runs over the payload first so appenders can checksum their payload in parallel and the
/// single writer only continues it over the 16 header bytes once it has stamped the record id.
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 24;

    /// <summary>The largest payload accepted; also a sanity bound when a damaged length field is read back.</summary>
    public const int MaxPayloadLength = 256 * 1024 * 1024;

    private const uint Magic = 0x3152534D; // "MSR1" read as little-endian

    private static ReadOnlySpan<byte> MagicBytes => "MSR1"u8;

    /// <summary>Writes the parts of the header known to the appender; the id and checksum come at <see cref="Seal"/>.</summary>
    public static void WriteHeader(Span<byte> record, SignalType type, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)payloadLength);
        record[12] = (byte)type;
        record[13] = 0;
        record[14] = 0;
        record[15] = 0;
    }

    /// <summary>Stamps the id and completes the checksum started over the payload (<paramref name="payloadCrc"/>).</summary>
    public static void Seal(Span<byte> record, ulong id, uint payloadCrc)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(record[16..], id);
        var crc = Crc32C.Append(payloadCrc, record[8..HeaderSize]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], crc);
    }

    /// <summary>
    /// Checks the record at the start of <paramref name="data"/>. <see cref="ParseStatus.NeedMore"/> means the
    /// header looks sound but <paramref name="data"/> is shorter than the record (<paramref name="totalLength"/>
    /// then says how much is needed, or 0 when even the header is incomplete).
    /// </summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> data, out int totalLength, out SignalType type, out ulong id)
    {
        totalLength = 0;
        type = default;
        id = 0;
        if (data.Length < HeaderSize)
        {
            return data.Length >= 4 && !data[..4].SequenceEqual(MagicBytes) ? ParseStatus.Invalid : ParseStatus.NeedMore;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        var rawType = data[12];
        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || length > MaxPayloadLength
            || rawType is not ((byte)SignalType.Traces or (byte)SignalType.Logs)
            || data[13] != 0 || data[14] != 0 || data[15] != 0)
        {
            return ParseStatus.Invalid;
        }

        totalLength = HeaderSize + (int)length;
        if (data.Length < totalLength)
        {
            return ParseStatus.NeedMore;
        }

        var crc = Crc32C.Append(Crc32C.Compute(data.Slice(HeaderSize, (int)length)), data[8..HeaderSize]);
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
        {
            return ParseStatus.Invalid;
        }

        type = (SignalType)rawType;
        id = BinaryPrimitives.ReadUInt64LittleEndian(data[16..]);
        return ParseStatus.Ok;
    }

    /// <summary>Where the next record that could start (magic bytes) lies in <paramref name="data"/>, or -1.</summary>
    public static int IndexOfMagic(ReadOnlySpan<byte> data) => data.IndexOf(MagicBytes);
}
