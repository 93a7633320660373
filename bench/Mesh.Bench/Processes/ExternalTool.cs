using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mesh.Bench.Processes;

/// <summary>
/// Runs a vendor tool (clickhouse-client, sqlite3) the way a person would from a shell, redirections included,
/// under bash's <c>time</c>: the wall and CPU time reported are the tool's own (children included), without
/// this process's cost of starting it.
/// </summary>
internal static class ExternalTool
{
    private const string TimeMarker = "@@mesh-bench-time";

    public static Task<ToolRun> RunAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(program, args, stdinFile: null, stdoutFile: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/>, stdin from <paramref name="stdinFile"/> (else
    /// nothing) and stdout into <paramref name="stdoutFile"/> (else captured in <see cref="ToolRun.Output"/>).
    /// </summary>
    public static async Task<ToolRun> RunAsync(string program, IReadOnlyList<string> args, string? stdinFile, string? stdoutFile, CancellationToken cancellationToken)
    {
        var script = new StringBuilder($"TIMEFORMAT='{TimeMarker} %3R %3U %3S'; time \"$0\" \"$@\"");
        script.Append(stdinFile is null ? " </dev/null" : " <\"$MESH_BENCH_STDIN\"");
        if (stdoutFile is not null)
        {
            script.Append(" >\"$MESH_BENCH_STDOUT\"");
        }

        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script.ToString());
        info.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Paths travel in the environment, never spliced into the script text; C locale for a '.' in the times.
        info.Environment["LC_ALL"] = "C";
        info.Environment["MESH_BENCH_STDIN"] = stdinFile ?? string.Empty;
        info.Environment["MESH_BENCH_STDOUT"] = stdoutFile ?? string.Empty;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start bash for {program}");
        using var kill = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        });
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var errorText = await errors.ConfigureAwait(false);
        var markerAt = errorText.LastIndexOf(TimeMarker, StringComparison.Ordinal);
        if (markerAt < 0)
        {
            throw new InvalidOperationException($"{program} ran without a time report (exit code {process.ExitCode}): {errorText}");
        }

        var times = errorText[(markerAt + TimeMarker.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        double Seconds(int i) => double.Parse(times[i], CultureInfo.InvariantCulture);
        return new ToolRun(
            process.ExitCode,
            await output.ConfigureAwait(false),
            errorText[..markerAt].Trim(),
            TimeSpan.FromSeconds(Seconds(0)),
            TimeSpan.FromSeconds(Seconds(1) + Seconds(2)));
    }
}

/// <summary>How one tool run went: its exit code, what it printed, its wall time and CPU time (user + system).</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Errors, TimeSpan Wall, TimeSpan Cpu)
{
    /// <summary>Throws with the tool's error output unless it exited with 0 and printed no errors.</summary>
    public ToolRun EnsureSuccess(string what)
    {
        return ExitCode == 0 && Errors.Length == 0
            ? this
            : throw new InvalidOperationException($"{what} failed (exit code {ExitCode}): {Errors}");
    }
}
