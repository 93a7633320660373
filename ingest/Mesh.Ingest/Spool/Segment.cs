using System.Buffers;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Mesh.Ingest.Spool;

/// <summary>
/// One segment file, named after the spool position of its first byte (20 decimal digits, so names sort in
/// order). The writer appends to the last segment only; the reader reads any. Positional I/O on one handle is
/// thread-safe, so both share it.
/// </summary>
internal sealed class Segment : IDisposable
{
    public const string Extension = ".seg";

    private const int ScanWindow = 64 * 1024;

    private long _length;

    private Segment(long basePosition, string path, SafeFileHandle handle, long length)
    {
        Base = basePosition;
        Path = path;
        Handle = handle;
        _length = length;
    }

    /// <summary>The spool position of the segment's first byte.</summary>
    public long Base { get; }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>Bytes written to the segment (by the writer, which publishes it before the data is readable).</summary>
    public long Length
    {
        get => Volatile.Read(ref _length);
        set => Volatile.Write(ref _length, value);
    }

    public long End => Base + Length;

    public static string FileNameFor(long basePosition) => basePosition.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string fileName, out long basePosition)
    {
        basePosition = 0;
        return fileName.Length == 20 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out basePosition);
    }

    public static Segment Create(string directory, long basePosition)
    {
        var path = System.IO.Path.Combine(directory, FileNameFor(basePosition));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        return new Segment(basePosition, path, handle, 0);
    }

    public static Segment Open(string path, long basePosition)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        return new Segment(basePosition, path, handle, RandomAccess.GetLength(handle));
    }

    /// <summary>Cuts the file to <paramref name="length"/> bytes, durably (used to drop a torn tail).</summary>
    public void Truncate(long length)
    {
        RandomAccess.SetLength(Handle, length);
        RandomAccess.FlushToDisk(Handle);
        Length = length;
    }

    /// <summary>
    /// Reads and checks the record at file offset <paramref name="offset"/>, not looking past <paramref name="end"/>.
    /// <see cref="ParseStatus.NeedMore"/> here means the record runs past <paramref name="end"/>.
    /// </summary>
    public ParseStatus ReadRecordAt(long offset, long end, out int totalLength, out ulong id)
    {
        id = 0;
        Span<byte> header = stackalloc byte[RecordFormat.HeaderSize];
        var headerBytes = RandomAccess.Read(Handle, header[..(int)Math.Min(header.Length, end - offset)], offset);
        var status = RecordFormat.TryParse(header[..headerBytes], out totalLength, out _, out id);
        if (status != ParseStatus.NeedMore || totalLength == 0 || offset + totalLength > end)
        {
            return status;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(totalLength);
        try
        {
            var read = RandomAccess.Read(Handle, buffer.AsSpan(0, totalLength), offset);
            return RecordFormat.TryParse(buffer.AsSpan(0, read), out totalLength, out _, out id);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The file offset of the first sound record at or after <paramref name="from"/> and ending by
    /// <paramref name="end"/>, or -1. Used to tell a torn tail (nothing sound follows) from damage in the middle.
    /// </summary>
    public long FindNextRecord(long from, long end)
    {
        var window = ArrayPool<byte>.Shared.Rent(ScanWindow);
        try
        {
            var offset = from;
            while (offset + RecordFormat.HeaderSize <= end)
            {
                var read = RandomAccess.Read(Handle, window.AsSpan(0, (int)Math.Min(ScanWindow, end - offset)), offset);
                if (read == 0)
                {
                    return -1;
                }

                var span = window.AsSpan(0, read);
                var searched = 0;
                while (true)
                {
                    var hit = RecordFormat.IndexOfMagic(span[searched..]);
                    if (hit < 0)
                    {
                        break;
                    }

                    var candidate = offset + searched + hit;
                    if (ReadRecordAt(candidate, end, out _, out _) == ParseStatus.Ok)
                    {
                        return candidate;
                    }

                    searched += hit + 1;
                }

                // Overlap by the magic's length minus one so a magic straddling two windows is still found.
                offset += Math.Max(1, read - 3);
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    public void Dispose() => Handle.Dispose();
}
