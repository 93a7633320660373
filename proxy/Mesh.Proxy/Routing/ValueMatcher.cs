using System.Text.RegularExpressions;
using Mesh.Proxy.Config;
using ValueMatch = Mesh.Proxy.Config.ValueMatch;

namespace Mesh.Proxy.Routing;

/// <summary>A compiled header or query condition (regex compiled once per snapshot, with a match timeout).</summary>
internal sealed class ValueMatcher
{
    private readonly ValueMatch _config;
    private readonly Regex? _regex;

    public ValueMatcher(ValueMatch config)
    {
        _config = config;
        _regex = config.Regex is null ? null : new Regex($"^(?:{config.Regex})$", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(50));
    }

    public string Name => _config.Name;

    public bool Matches(string? value)
    {
        var hit = value is not null && (_config.Exact is not null ? string.Equals(value, _config.Exact, StringComparison.Ordinal)
            : _config.Prefix is not null ? value.StartsWith(_config.Prefix, StringComparison.Ordinal)
            : _regex is null || _regex.IsMatch(value));
        return hit != _config.Invert;
    }
}
