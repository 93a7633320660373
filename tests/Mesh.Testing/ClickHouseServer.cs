using System.Diagnostics;
using System.Text;
using Xunit;

namespace Mesh.Testing;

/// <summary>
/// A private <c>clickhouse-server</c> on free loopback ports with its own temporary data dir, shared by a
/// test collection (use it as an xunit collection fixture). <see cref="Stop"/> and <see cref="Start"/>
/// keep the ports and the data, so an outage test can take the server away and bring it back.
/// A missing binary fails loudly: ClickHouse tests never skip.
/// </summary>
public sealed class ClickHouseServer : IAsyncLifetime, IDisposable
{
    private const string ConfigFile = "/etc/clickhouse-server/config.xml";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private string _configFile = ConfigFile;
    private Process? _process;

    public ClickHouseServer()
    {
        DataDir = Directory.CreateTempSubdirectory("mesh-clickhouse-").FullName;
        HttpPort = FreePort.Next();
        TcpPort = FreePort.Next();
        InterserverPort = FreePort.Next();
    }

    public string DataDir { get; }

    public int HttpPort { get; }

    public int TcpPort { get; }

    public int InterserverPort { get; }

    /// <summary>The HTTP interface, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri HttpUrl => new($"http://127.0.0.1:{HttpPort}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A database name no other test uses, for a fresh store.</summary>
    public static string NewDatabaseName() => $"mesh_test_{Guid.NewGuid():N}";

    public Task InitializeAsync() => StartAsync();

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Start() => StartAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Before the first start: runs the server on a copy of the system config with <paramref name="fragments"/> in its
    /// <c>config.d/</c> (for example the repo's cluster config), with <paramref name="environment"/> set for their
    /// <c>from_env</c> values.
    /// </summary>
    public void AddConfig(IEnumerable<string> fragments, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        ArgumentNullException.ThrowIfNull(environment);
        var directory = Path.Combine(DataDir, "etc");
        Directory.CreateDirectory(Path.Combine(directory, "config.d"));
        File.Copy(ConfigFile, Path.Combine(directory, "config.xml"), overwrite: true);
        File.Copy(Path.Combine(Path.GetDirectoryName(ConfigFile)!, "users.xml"), Path.Combine(directory, "users.xml"), overwrite: true);
        foreach (var fragment in fragments)
        {
            File.Copy(fragment, Path.Combine(directory, "config.d", Path.GetFileName(fragment)), overwrite: true);
        }

        foreach (var (name, value) in environment)
        {
            _environment[name] = value;
        }

        _configFile = Path.Combine(directory, "config.xml");
    }

    /// <summary>Starts the server (again) on the same ports and data dir and waits until <c>/ping</c> answers <c>Ok.</c>.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var binary = FindBinary();
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = DataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add($"--config-file={_configFile}");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add($"--path={DataDir}/");
        start.ArgumentList.Add($"--tmp_path={DataDir}/tmp/");
        start.ArgumentList.Add($"--http_port={HttpPort}");
        start.ArgumentList.Add($"--tcp_port={TcpPort}");
        start.ArgumentList.Add($"--interserver_http_port={InterserverPort}");
        start.ArgumentList.Add($"--logger.log={DataDir}/log");
        start.ArgumentList.Add($"--logger.errorlog={DataDir}/err");
        start.ArgumentList.Add("--listen_host=127.0.0.1");

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{binary} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"clickhouse-server exited with code {process.ExitCode} while starting.\n{Diagnostics()}");
            }

            if (await PingAsync().ConfigureAwait(false))
            {
                return;
            }

            // Polling a process that is starting: there is no event to wait on.
            await Task.Delay(50).ConfigureAwait(false);
        }

        Stop();
        throw new TimeoutException($"clickhouse-server did not answer /ping on {HttpUrl} within {StartTimeout.TotalSeconds} s.\n{Diagnostics()}");
    }

    /// <summary>Kills the server (as a crash or a pulled cable would) and waits until it is gone.</summary>
    public void Stop()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }
        finally
        {
            process.Dispose();
        }
    }

    public void Dispose()
    {
        Stop();
        _http.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless; failing the run over it is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindBinary()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, "clickhouse-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "clickhouse-server is not installed (looked on PATH and in /usr/sbin, /usr/bin). " +
            "Install it with 'apt-get install -y clickhouse-server clickhouse-client' (the test script does); " +
            "the ClickHouse tests need a real server and do not skip.");
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            var reply = await _http.GetStringAsync(new Uri(HttpUrl, "ping")).ConfigureAwait(false);
            return reply.StartsWith("Ok.", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Diagnostics()
    {
        var errorLog = Path.Combine(DataDir, "err");
        var tail = File.Exists(errorLog) ? string.Join('\n', File.ReadLines(errorLog).TakeLast(30)) : "(no error log)";
        lock (_output)
        {
            return $"Output:\n{_output}\nError log ({errorLog}):\n{tail}";
        }
    }
}
