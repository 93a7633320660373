using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit;

namespace Mesh.Testing;

/// <summary>
/// A private PostgreSQL (Debian's 15) on a free loopback port with its own temporary cluster, for a test
/// collection. PostgreSQL refuses to run as root, so as root the cluster belongs to the <c>postgres</c> user
/// and the server tools run through <c>runuser</c>. A missing installation fails loudly: these tests never skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IDisposable
{
    private readonly string _bin;
    private readonly bool _asRoot;
    private bool _started;

    public PostgresServer()
    {
        _bin = FindBin();
        _asRoot = Environment.UserName == "root";
        Dir = Directory.CreateTempSubdirectory("mesh-pg-").FullName;
        Port = FreePort.Next();
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> as the superuser (trust authentication on loopback).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=true;Timeout=15";

    /// <summary>Creates a database no other test uses and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"mesh_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        if (_asRoot)
        {
            await RunAsync("chown", ["postgres", Dir]);
        }

        var data = Path.Combine(Dir, "pg");
        await RunAsServerUserAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        await RunAsServerUserAsync("pg_ctl", [
            "-D", data, "-l", Path.Combine(Dir, "log"), "-w", "-t", "60",
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {Dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        ]);
        _started = true;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (_started)
        {
            _started = false;
            try
            {
                RunAsServerUserAsync("pg_ctl", ["-D", Path.Combine(Dir, "pg"), "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                // Already gone: nothing left to stop.
            }
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task RunAsServerUserAsync(string tool, IReadOnlyList<string> args) =>
        _asRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string FindBin()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Install it with 'apt-get install -y postgresql' " +
            "(scripts/test.sh does); the metadata conformance tests need a real server and do not skip.");
    }
}
