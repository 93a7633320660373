using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;
using Mesh.Otlp.Storage;

namespace Mesh.Ingest.Tests.Pipeline;

/// <summary>
/// An in-memory store that keeps every write call and how many copies of each span and log it holds, honours
/// <see cref="WriteMode.Replay"/> (skips what it has) but stores duplicates under <see cref="WriteMode.First"/>,
/// so a drainer that retries in the wrong mode shows up as a count of two. It can be told to fail or hang, or to
/// hold writes until the test releases them.
/// </summary>
internal sealed class FakeTelemetryStore : ITelemetryStore, ISpanWriter, IOtlpSpanWriter, ISpanReader, ILogWriter, ILogReader
{
    private readonly object _gate = new();
    private readonly List<Span> _spans = [];
    private readonly List<LogRecord> _logs = [];
    private readonly HashSet<(TraceId, SpanId)> _spanKeys = [];
    private readonly HashSet<ulong> _logKeys = [];
    private readonly List<WriteCall> _calls = [];
    private int _failuresLeft;
    private bool _landHalfBeforeFailing;
    private string? _failingKind;
    private int _hangsLeft;
    private int _failedWrites;
    private int _otlpWrites;
    private TaskCompletionSource? _held;

    public string Name => "fake";

    public ISpanWriter SpanWriter => this;

    public ISpanReader SpanReader => this;

    public ILogWriter LogWriter => this;

    public ILogReader LogReader => this;

    public int FailedWrites
    {
        get
        {
            lock (_gate)
            {
                return _failedWrites;
            }
        }
    }

    /// <summary>Called at the start of every write, before it is held, failed or stored (on the writer's thread).</summary>
    public Action<WriteCall>? OnWrite { get; set; }

    public IReadOnlyList<WriteCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<Span> Spans
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }
    }

    public IReadOnlyList<LogRecord> Logs
    {
        get
        {
            lock (_gate)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> writes (of <paramref name="kind"/>, "spans" or "logs", if given) throw
    /// <see cref="StoreUnavailableException"/>, optionally after storing half their items.
    /// </summary>
    public void FailNextWrites(int count, bool landHalfFirst, string? kind = null)
    {
        lock (_gate)
        {
            _failuresLeft = count;
            _landHalfBeforeFailing = landHalfFirst;
            _failingKind = kind;
        }
    }

    /// <summary>The next <paramref name="count"/> writes never finish on their own; they end only when cancelled.</summary>
    public void HangNextWrites(int count)
    {
        lock (_gate)
        {
            _hangsLeft = count;
        }
    }

    /// <summary>
    /// Writes from now on are recorded in <see cref="Calls"/> and then wait, before failing or storing anything,
    /// until <see cref="ReleaseWrites"/> (or their cancellation).
    /// </summary>
    public void HoldWrites()
    {
        lock (_gate)
        {
            _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the held writes, and every later one, go on.</summary>
    public void ReleaseWrites()
    {
        TaskCompletionSource? held;
        lock (_gate)
        {
            held = _held;
            _held = null;
        }

        held?.TrySetResult();
    }

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public ValueTask WriteSpansAsync(IReadOnlyList<Span> spans, WriteMode mode, CancellationToken cancellationToken) =>
        Write(spans, mode, _spans, _spanKeys, s => (s.TraceId, s.SpanId), "spans", cancellationToken);

    /// <summary>Writes that came as OTLP bytes (<see cref="WriteOtlpAsync"/>); they count as "spans" calls too.</summary>
    public int OtlpWrites => Volatile.Read(ref _otlpWrites);

    /// <summary>Takes OTLP bytes as a store that encodes them itself would, then stores them as <see cref="WriteSpansAsync"/> does.</summary>
    public async ValueTask<int> WriteOtlpAsync(IReadOnlyList<ReadOnlyMemory<byte>> requests, WriteMode mode, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _otlpWrites);
        var spans = new List<Span>();
        var skipped = 0;
        foreach (var request in requests)
        {
            skipped += OtlpSpans.TryToModel(request.Span, spans) ? 0 : 1;
        }

        await Write(spans, mode, _spans, _spanKeys, s => (s.TraceId, s.SpanId), "spans", cancellationToken).ConfigureAwait(false);
        return skipped;
    }

    public ValueTask WriteLogsAsync(IReadOnlyList<LogRecord> logs, WriteMode mode, CancellationToken cancellationToken) =>
        Write(logs, mode, _logs, _logKeys, l => l.LogId, "logs", cancellationToken);

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Span>>([.. _spans.Where(s => s.TraceId == traceId).OrderBy(s => s.StartTimeUnixNano)]);
        }
    }

    public ValueTask<IReadOnlyList<TraceSummary>> FindTracesAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var matching = _spans.Where(s =>
                (query.Service is null || s.ServiceName == query.Service)
                && (query.Operation is null || s.Name == query.Operation)
                && (query.MinDurationNanos is null || s.DurationNanos >= query.MinDurationNanos)
                && (query.MaxDurationNanos is null || s.DurationNanos <= query.MaxDurationNanos)
                && (query.Status == TraceStatusFilter.Any || (s.StatusCode == StatusCode.Error) == (query.Status == TraceStatusFilter.Error))
                && s.StartTimeUnixNano >= query.StartUnixNano && s.StartTimeUnixNano < query.EndUnixNano
                && query.Attributes.All(a => s.Attributes.Concat(s.Resource.Attributes).Any(kv => kv.Key == a.Key && kv.Value.ToDisplayString() == a.Value)));
            var summaries = matching.Select(s => s.TraceId).Distinct().Select(Summarize)
                .OrderByDescending(t => t.StartUnixNano).Take(query.Limit).ToList();
            return ValueTask.FromResult<IReadOnlyList<TraceSummary>>(summaries);
        }
    }

    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>([.. _spans.Select(s => s.ServiceName).Distinct().Order(StringComparer.Ordinal)]);
        }
    }

    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Operation>>(
                [.. _spans.Where(s => s.ServiceName == service).Select(s => new Operation(s.Name, s.Kind)).Distinct().OrderBy(o => o.Name, StringComparer.Ordinal)]);
        }
    }

    public ValueTask<IReadOnlyList<OperationStats>> GetTopOperationsAsync(OperationStatsQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        lock (_gate)
        {
            var rows = _spans
                .Where(s => s.ServiceName == query.Service && s.Kind == SpanKind.Server && s.StartTimeUnixNano >= query.StartUnixNano && s.StartTimeUnixNano < query.EndUnixNano)
                .Select(s => Mesh.Core.Facts.SpanFacts.FromModel(s))
                .GroupBy(f => (Proxy: f.Direction is "inbound" or "ingress", f.Name))
                .Select(g =>
                {
                    var sorted = g.Select(f => f.DurationNanos).Order().ToList();
                    return (g.Key.Proxy, new OperationStats(g.Key.Name, sorted.Count, g.Count(f => f.IsError), sorted[(int)TopOperations.P99Rank(sorted.Count) - 1]));
                });
            return ValueTask.FromResult(TopOperations.Pick(rows, TopOperations.Limit(query)));
        }
    }

    public ValueTask<IReadOnlyList<LogRecord>> FindLogsAsync(LogQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<LogRecord>>(
            [
                .. _logs.Where(l =>
                        (query.Service is null || l.ServiceName == query.Service)
                        && (query.MinSeverityNumber is null || l.SeverityNumber >= query.MinSeverityNumber)
                        && (query.Contains is null || l.Body.ToDisplayString().Contains(query.Contains, StringComparison.Ordinal))
                        && (query.TraceId is null || l.TraceId == query.TraceId)
                        && l.EffectiveTimeUnixNano >= query.StartUnixNano && l.EffectiveTimeUnixNano < query.EndUnixNano)
                    .OrderByDescending(l => l.EffectiveTimeUnixNano)
                    .Take(query.Limit),
            ]);
        }
    }

    private async ValueTask Write<T, TKey>(IReadOnlyList<T> items, WriteMode mode, List<T> stored, HashSet<TKey> keys, Func<T, TKey> key, string kind, CancellationToken cancellationToken)
    {
        var call = new WriteCall(kind, mode, items.Count);
        Task? held;
        lock (_gate)
        {
            _calls.Add(call);
            held = _held?.Task;
        }

        OnWrite?.Invoke(call);
        if (held is not null)
        {
            await held.WaitAsync(cancellationToken);
        }

        bool hang;
        lock (_gate)
        {
            hang = _hangsLeft > 0;
            if (hang)
            {
                _hangsLeft--;
            }
            else if (_failuresLeft > 0 && (_failingKind is null || _failingKind == kind))
            {
                _failuresLeft--;
                _failedWrites++;
                if (_landHalfBeforeFailing)
                {
                    Store(items.Take(items.Count / 2), mode, stored, keys, key);
                }

                throw new StoreUnavailableException("The fake store is down.");
            }
            else
            {
                Store(items, mode, stored, keys, key);
            }
        }

        if (hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
    }

    private static void Store<T, TKey>(IEnumerable<T> items, WriteMode mode, List<T> stored, HashSet<TKey> keys, Func<T, TKey> key)
    {
        foreach (var item in items)
        {
            // Only a replay checks for what is there; a first write trusts the caller, as a real fast path would.
            if (keys.Add(key(item)) || mode == WriteMode.First)
            {
                stored.Add(item);
            }
        }
    }

    private TraceSummary Summarize(TraceId traceId)
    {
        var spans = _spans.Where(s => s.TraceId == traceId).ToList();
        var root = spans.FirstOrDefault(s => s.ParentSpanId.IsEmpty) ?? spans.MinBy(s => s.StartTimeUnixNano)!;
        var start = spans.Min(s => s.StartTimeUnixNano);
        return new TraceSummary
        {
            TraceId = traceId,
            RootService = root.ServiceName,
            RootOperation = root.Name,
            StartUnixNano = start,
            DurationNanos = spans.Max(s => s.EndTimeUnixNano) - start,
            SpanCount = spans.Count,
            ErrorCount = spans.Count(s => s.StatusCode == StatusCode.Error),
            Services = [.. spans.Select(s => s.ServiceName).Distinct().Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>One write the store was asked to do.</summary>
    public sealed record WriteCall(string Kind, WriteMode Mode, int Items);
}
