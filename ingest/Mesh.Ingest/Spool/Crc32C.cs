using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;

namespace Mesh.Ingest.Spool;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of spool records. System.IO.Hashing is not in the shared framework,
/// and the CPU instruction (SSE4.2 / ARMv8 CRC) makes the spool's checksum nearly free at 60 MB/s.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial

    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32C of <paramref name="data"/> (the standard one: "123456789" gives 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> over more data: <c>Append(Compute(a), b) == Compute(a ++ b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

    /// <summary>The table-driven path, exposed so tests can check it agrees with the hardware path.</summary>
    internal static uint AppendSoftware(uint crc, ReadOnlySpan<byte> data) => ~UpdateSoftware(~crc, data);

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            ulong wide = crc;
            while (data.Length >= sizeof(ulong))
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            crc = (uint)wide;
            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            while (data.Length >= sizeof(ulong))
            {
                crc = ArmCrc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            foreach (var b in data)
            {
                crc = ArmCrc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        return UpdateSoftware(crc, data);
    }

    private static uint UpdateSoftware(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (var b in data)
        {
            crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
