using System.Text.RegularExpressions;
using Mesh.Proxy.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Routing;

/// <summary>A compiled <see cref="RouteMatch"/>: cheapest checks first (method, host, path), then headers and query.</summary>
internal sealed class RouteMatcher
{
    private readonly string[] _hosts;
    private readonly string[] _wildcardSuffixes;
    private readonly string[] _methods;
    private readonly PathMatch? _path;
    private readonly Regex? _pathRegex;
    private readonly ValueMatcher[] _headers;
    private readonly ValueMatcher[] _query;

    public RouteMatcher(RouteMatch match)
    {
        _hosts = [.. match.Hosts.Where(h => !h.StartsWith("*.", StringComparison.Ordinal))];
        _wildcardSuffixes = [.. match.Hosts.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => h[1..])];
        _methods = [.. match.Methods];
        _path = match.Path;
        _pathRegex = match.Path?.Regex is { } regex
            ? new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(50))
            : null;
        _headers = [.. match.Headers.Select(h => new ValueMatcher(h))];
        _query = [.. match.Query.Select(q => new ValueMatcher(q))];
    }

    /// <summary>The path match as written, for telemetry's http.route when a route has no template.</summary>
    public string? PathText => _path?.Exact ?? _path?.Prefix ?? _path?.Regex;

    public bool Matches(HttpRequest request)
    {
        if (_methods.Length > 0 && !_methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if ((_hosts.Length > 0 || _wildcardSuffixes.Length > 0) && !HostMatches(request.Host.Host))
        {
            return false;
        }

        if (_path is not null && !PathMatches(request.Path.Value ?? "/"))
        {
            return false;
        }

        foreach (var h in _headers)
        {
            var values = request.Headers[h.Name];
            if (!h.Matches(values.Count == 0 ? null : values.ToString()))
            {
                return false;
            }
        }

        foreach (var q in _query)
        {
            var values = request.Query[q.Name];
            if (!q.Matches(values.Count == 0 ? null : values.ToString()))
            {
                return false;
            }
        }

        return true;
    }

    private bool HostMatches(string host)
    {
        foreach (var h in _hosts)
        {
            if (string.Equals(h, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var suffix in _wildcardSuffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private bool PathMatches(string path)
    {
        if (_path!.Exact is { } exact)
        {
            return string.Equals(path, exact, StringComparison.Ordinal);
        }

        if (_path.Prefix is { } prefix)
        {
            // Segment-aware: /api matches /api and /api/x but not /apix; a prefix ending in / matches any continuation.
            return path.StartsWith(prefix, StringComparison.Ordinal)
                && (path.Length == prefix.Length || prefix.EndsWith('/') || path[prefix.Length] == '/');
        }

        return _pathRegex!.IsMatch(path);
    }
}
