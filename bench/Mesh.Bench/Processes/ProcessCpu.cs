using System.Diagnostics;
using System.Globalization;

namespace Mesh.Bench.Processes;

/// <summary>
/// CPU time (user + system, all threads) of a running process from <c>/proc/&lt;pid&gt;/stat</c>, and finding the
/// process of a server the fixtures started by a distinctive argument (they do not expose their ids).
/// </summary>
internal static class ProcessCpu
{
    private static readonly Lazy<double> TicksPerSecond = new(ReadClockTicks);

    /// <summary>utime + stime of <paramref name="pid"/> so far, or null when the process is gone.</summary>
    public static TimeSpan? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces; count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond.Value);
    }

    /// <summary>The process whose command line has an argument containing <paramref name="marker"/> and one containing <paramref name="program"/>.</summary>
    public static int Find(string program, string marker)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (args.Any(a => a.Contains(program, StringComparison.Ordinal)) && args.Any(a => a.Contains(marker, StringComparison.Ordinal)))
            {
                return pid;
            }
        }

        throw new InvalidOperationException($"no running process of {program} with an argument containing '{marker}'");
    }

    private static double ReadClockTicks()
    {
        // USER_HZ: 100 on every mainstream Linux, but asking costs one process start.
        using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = getconf.StandardOutput.ReadToEnd();
        getconf.WaitForExit();
        return double.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
    }
}
