using System.Runtime.InteropServices;

namespace Mesh.Ingest.Spool;

/// <summary>
/// Flushes a directory's entries to disk. On POSIX file systems a new or renamed file is durable only once its
/// directory is fsync'd too; .NET refuses to open directories, hence the two libc calls.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY is 0 on every POSIX platform .NET runs on.

    public static void Flush(string directory)
    {
        // NTFS journals metadata and Windows cannot flush a directory handle; file flushes suffice there.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush directory '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
