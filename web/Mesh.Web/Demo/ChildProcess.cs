using System.Diagnostics;
using Mesh.Demo.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Web.Demo;

/// <summary>
/// One supervised child process of the demo. It runs until stopped; when it exits on its own it is logged
/// with its exit code and last output lines and started again after a backoff (1 s doubling to 30 s, reset
/// after a minute of uptime). <see cref="PauseAsync"/> stops it on purpose (the "kill" scenario) until
/// <see cref="Resume"/>. Output goes to <c>&lt;log dir&gt;/&lt;name&gt;.log</c>. The child gets
/// <c>MESH_PARENT_PID</c>, so it stops by itself if this process dies without stopping it.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly ChildSpec _spec;
    private readonly string _logPath;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Queue<string> _tail = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _resumed = NewSignal();
    private Process? _process;
    private Task? _loop;
    private bool _paused;

    public ChildProcess(ChildSpec spec, string logDirectory, ILogger logger, TimeProvider time)
    {
        _spec = spec;
        _logPath = Path.Combine(logDirectory, spec.Name + ".log");
        _logger = logger;
        _time = time;
    }

    public ChildSpec Spec => _spec;

    public int Restarts { get; private set; }

    public bool Paused => _paused;

    /// <summary>The running process's id, or null between runs.</summary>
    public int? Pid
    {
        get
        {
            var p = _process;
            try
            {
                return p is { HasExited: false } ? p.Id : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    public string State => _paused ? "stopped" : Pid is null ? "starting" : "running";

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops the process on purpose; it stays down until <see cref="Resume"/>.</summary>
    public async Task PauseAsync()
    {
        lock (_gate)
        {
            if (_paused)
            {
                return;
            }

            _paused = true;
        }

        await TerminateAsync().ConfigureAwait(false);
    }

    public void Resume()
    {
        lock (_gate)
        {
            if (!_paused)
            {
                return;
            }

            _paused = false;
            _resumed.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        var backoff = MinBackoff;
        while (!_stopping.IsCancellationRequested)
        {
            Task resumed;
            lock (_gate)
            {
                if (_paused)
                {
                    _resumed = NewSignal();
                }

                resumed = _paused ? _resumed.Task : Task.CompletedTask;
            }

            await resumed.WaitAsync(_stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var started = _time.GetTimestamp();
            int exitCode;
            try
            {
                exitCode = await RunOnceAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
            {
                _logger.LogError("demo: cannot start {Name} ({File}): {Error}", _spec.Name, _spec.FileName, ex.Message);
                exitCode = -1;
            }

            if (_stopping.IsCancellationRequested || _paused)
            {
                continue;
            }

            var uptime = _time.GetElapsedTime(started);
            backoff = uptime > StableAfter ? MinBackoff : backoff;
            Restarts++;
            _logger.LogError(
                "demo: {Name} exited with code {Code} after {Uptime:F1} s; restarting in {Backoff} s (restart {Restarts}). Last output:\n    {Tail}\n  (full log: {Log})",
                _spec.Name, exitCode, uptime.TotalSeconds, backoff.TotalSeconds, Restarts, string.Join("\n    ", Tail()), _logPath);
            await Task.Delay(backoff, _time, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    private async Task<int> RunOnceAsync()
    {
        var info = new ProcessStartInfo(_spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in _spec.Arguments)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in _spec.Environment)
        {
            info.Environment[key] = value;
        }

        info.Environment[ParentWatch.EnvironmentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var log = new StreamWriter(new FileStream(_logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _paused)
            {
                return 0;
            }

            process.Start();
            _process = process;
        }

        Append(log, $"--- {_spec.Name} started (pid {process.Id}): {_spec.FileName} {string.Join(' ', _spec.Arguments)}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _process = null;
        }

        Append(log, $"--- {_spec.Name} exited with code {process.ExitCode}");
        return process.ExitCode;
    }

    /// <summary>SIGTERM (what Ctrl+C sends), then a kill of its tree after a grace period.</summary>
    private async Task TerminateAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            if (process.HasExited)
            {
                return;
            }

            if (!ParentWatch.Terminate(process.Id))
            {
                process.Kill(entireProcessTree: true);
            }

            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogWarning("demo: {Name} did not stop within {Grace} s of SIGTERM; killing it", _spec.Name, StopGrace.TotalSeconds);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited (and was disposed) between the checks: nothing left to stop.
        }
    }

    private void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 15)
            {
                _tail.Dequeue();
            }

            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private string[] Tail()
    {
        lock (_tail)
        {
            return [.. _tail];
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await TerminateAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }
}
