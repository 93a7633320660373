using Mesh.Proxy.Config;

namespace Mesh.Proxy.Configuration;

/// <summary>
/// A YAML/JSON file, watched: a change (editors often write twice or replace the file) is debounced and then
/// reported, and the proxy reloads it; an invalid edit is rejected and the running snapshot stays.
/// </summary>
public sealed class FileProxyConfigSource : IProxyConfigSource
{
    private readonly string _path;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;

    public FileProxyConfigSource(string path)
    {
        _path = Path.GetFullPath(path);
        _debounce = new Timer(_ => Changed?.Invoke());
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Poke();
        _watcher.Created += (_, _) => Poke();
        _watcher.Renamed += (_, _) => Poke();
        _watcher.EnableRaisingEvents = true;
    }

    public event Action? Changed;

    public ProxyConfig Load() => ProxyConfigSerializer.Load(_path);

    private void Poke() => _debounce.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
