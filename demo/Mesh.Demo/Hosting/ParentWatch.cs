using System.Globalization;
using System.Runtime.InteropServices;

namespace Mesh.Demo.Hosting;

/// <summary>
/// Lets a child of <c>mesh up --demo</c> notice that its parent is gone (killed, crashed) and stop itself, so
/// no orphan keeps a port. The parent sets <c>MESH_PARENT_PID</c>; on Linux and macOS the child then polls
/// <c>getppid()</c> (which changes when the parent dies and the child is re-parented) and, when it no longer
/// matches, sends itself SIGTERM for a clean shutdown, exiting hard if that does not finish in time.
/// </summary>
public static class ParentWatch
{
    public const string EnvironmentVariable = "MESH_PARENT_PID";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>Starts the watch when <c>MESH_PARENT_PID</c> is set; does nothing otherwise (or on Windows).</summary>
    public static void StartFromEnvironment()
    {
        var raw = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (raw is null || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            || !int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent) || parent <= 1)
        {
            return;
        }

        var thread = new Thread(() => Watch(parent)) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
    }

    private static void Watch(int parent)
    {
        while (GetParentPid() == parent)
        {
            Thread.Sleep(Poll);
        }

        Console.Error.WriteLine($"parent process {parent} is gone: stopping");
        _ = Kill(Environment.ProcessId, 15);
        Thread.Sleep(GracePeriod);
        Environment.Exit(1);
    }

    [DllImport("libc", EntryPoint = "getppid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetParentPid();

    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends SIGTERM to <paramref name="pid"/> (a graceful stop request); false if it could not be sent.</summary>
    public static bool Terminate(int pid) => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Kill(pid, 15) == 0;
}
