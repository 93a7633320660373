using System.Buffers.Binary;

namespace Mesh.Ingest.Spool;

/// <summary>
/// The spool's durable state besides its segments: how far the store has everything (<see cref="Position"/>)
/// and the random base of record ids (<see cref="IdBase"/>; a record's id is the base plus its position, so ids
/// never repeat while the checkpoint lives, and a new spool directory starts from a fresh random base).
/// </summary>
internal readonly record struct Checkpoint(long Position, ulong IdBase)
{
    public const string FileName = "checkpoint";

    private const string TempFileName = "checkpoint.tmp";
    private const uint Magic = 0x4B43534D; // "MSCK"
    private const uint Version = 1;
    private const int Size = 32;

    /// <summary>Reads the checkpoint: <see langword="null"/> when there is none, throws <see cref="InvalidDataException"/> when it is damaged.</summary>
    public static Checkpoint? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var data = File.ReadAllBytes(path);
        if (data.Length != Size
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4)) != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(24)) != Crc32C.Compute(data.AsSpan(0, 24)))
        {
            throw new InvalidDataException($"The spool checkpoint '{path}' is damaged.");
        }

        return new Checkpoint(
            BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8)),
            BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(16)));
    }

    /// <summary>Replaces the checkpoint atomically: a crash leaves either the old or the new one, never a mix.</summary>
    public void Write(string directory)
    {
        Span<byte> data = stackalloc byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(data[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(data[8..], Position);
        BinaryPrimitives.WriteUInt64LittleEndian(data[16..], IdBase);
        BinaryPrimitives.WriteUInt32LittleEndian(data[24..], Crc32C.Compute(data[..24]));
        BinaryPrimitives.WriteUInt32LittleEndian(data[28..], 0);

        var temp = Path.Combine(directory, TempFileName);
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, data, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
        DirectorySync.Flush(directory);
    }

    /// <summary>Removes a temporary file left by a crash in the middle of <see cref="Write"/>.</summary>
    public static void DeleteLeftovers(string directory) => File.Delete(Path.Combine(directory, TempFileName));
}
