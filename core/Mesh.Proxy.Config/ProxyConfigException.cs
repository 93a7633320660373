namespace Mesh.Proxy.Config;

/// <summary>A configuration that cannot be read or does not validate; <see cref="Errors"/> names every bad field.</summary>
public sealed class ProxyConfigException : Exception
{
    public ProxyConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public ProxyConfigException()
        : this([])
    {
    }

    public ProxyConfigException(string message)
        : this([new ConfigError("", message)])
    {
    }

    public ProxyConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ConfigError("", message)];
    }

    public IReadOnlyList<ConfigError> Errors { get; } = [];
}
