namespace Mesh.Core.Storage;

/// <summary>
/// Accumulates a trace's spans into a <see cref="TraceSummary"/> with the rules every store shares:
/// the root is the span without a parent (else the earliest), start is the earliest start, duration runs
/// to the latest end, errors are spans with status ERROR, services are distinct and sorted.
/// </summary>
public sealed class TraceSummaryBuilder
{
    private readonly SortedSet<string> _services = new(StringComparer.Ordinal);
    private string _rootService = string.Empty;
    private string _rootName = string.Empty;
    private long _rootStart = long.MaxValue;
    private bool _rootHasParent = true;
    private long _start = long.MaxValue;
    private long _end = long.MinValue;
    private int _spans;
    private int _errors;

    public void Add(bool hasParent, string service, string name, long start, long end, bool isError)
    {
        _spans++;
        if (isError)
        {
            _errors++;
        }

        _services.Add(service);
        _start = Math.Min(_start, start);
        _end = Math.Max(_end, Math.Max(start, end));

        // A parentless span beats any child; among equals the earliest wins.
        var better = (_rootHasParent && !hasParent) || (_rootHasParent == hasParent && start < _rootStart);
        if (better)
        {
            _rootHasParent = hasParent;
            _rootStart = start;
            _rootService = service;
            _rootName = name;
        }
    }

    public TraceSummary Build(Telemetry.TraceId traceId) => new()
    {
        TraceId = traceId,
        RootService = _rootService,
        RootOperation = _rootName,
        StartUnixNano = _spans == 0 ? 0 : _start,
        DurationNanos = _spans == 0 ? 0 : Math.Max(0, _end - _start),
        SpanCount = _spans,
        ErrorCount = _errors,
        Services = [.. _services],
    };
}
