namespace Mesh.Demo.Faults;

/// <summary>
/// The faults in force in this process. Rules are swapped as a whole immutable array (writes are rare, every
/// request reads), and a rule past its <see cref="FaultRule.Until"/> simply stops matching.
/// </summary>
internal sealed class FaultRegistry(TimeProvider time)
{
    private volatile FaultRule[] _rules = [];
    private readonly Lock _write = new();

    public IReadOnlyList<FaultRule> Active
    {
        get
        {
            var now = time.GetUtcNow();
            return [.. _rules.Where(r => r.IsActive(now))];
        }
    }

    /// <summary>Adds a rule, replacing one for the same endpoint and method.</summary>
    public void Set(FaultRule rule)
    {
        lock (_write)
        {
            var now = time.GetUtcNow();
            _rules = [.. _rules.Where(r => r.IsActive(now) && !SameTarget(r, rule)), rule];
        }
    }

    /// <summary>Removes the rules for one endpoint (any method), or all of them; returns how many went.</summary>
    public int Clear(string? endpoint)
    {
        lock (_write)
        {
            var before = _rules.Length;
            _rules = endpoint is null ? [] : [.. _rules.Where(r => !string.Equals(r.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase))];
            return before - _rules.Length;
        }
    }

    /// <summary>The rule that applies to a request, the most recently set first; null when none does.</summary>
    public FaultRule? Match(string method, string path)
    {
        var rules = _rules;
        if (rules.Length == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        for (var i = rules.Length - 1; i >= 0; i--)
        {
            var rule = rules[i];
            if (rule.IsActive(now)
                && (rule.Method is null || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                && RoutePath.Matches(rule.Endpoint, path))
            {
                return rule;
            }
        }

        return null;
    }

    private static bool SameTarget(FaultRule a, FaultRule b) =>
        string.Equals(a.Endpoint, b.Endpoint, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Method, b.Method, StringComparison.OrdinalIgnoreCase);
}
