using Mesh.Core.Storage;
using Mesh.Core.Telemetry;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Mesh.Ingest.Tests.Spool;
using Mesh.Otlp.Conversion;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Mesh.Ingest.Tests.Pipeline;

/// <summary>Batch observers (the analytics rollups) see every stored span once, and cannot hold ingest up.</summary>
public sealed partial class SpoolDrainerTests
{
    [Fact]
    public async Task Drain_WithObservers_EachSeesEveryStoredSpanOnceEvenWhenAnotherThrows()
    {
        var spans = new List<Span>();
        for (var r = 0; r < 4; r++)
        {
            var batch = TestTelemetry.Spans(r, 10);
            spans.AddRange(batch);
            await Append(SignalType.Traces, TestTelemetry.TracePayload(batch));
        }

        var seen = new RecordingObserver();
        var drainer = new SpoolDrainer(_spool, _store, _metrics, Immediate, NullLogger<SpoolDrainer>.Instance, TimeProvider.System, [new ThrowingObserver(), seen]);
        _drainers.Add(drainer);
        await drainer.StartAsync(CancellationToken.None);
        await drainer.WaitForDrainAsync(Eventually.Timeout());

        Assert.Equal(spans.OrderBy(s => s.SpanId.Value), seen.Spans.OrderBy(s => s.SpanId.Value));
        Assert.Equal(0, _spool.UndrainedBytes);
        Assert.All(seen.StoredFirst, Assert.True);
    }

    private sealed class ThrowingObserver : IIngestBatchObserver
    {
        public ValueTask OnBatchStoredAsync(IngestedBatch batch, CancellationToken cancellationToken) => throw new InvalidOperationException("observer bug");
    }

    private sealed class RecordingObserver : IIngestBatchObserver
    {
        public List<Span> Spans { get; } = [];

        public List<bool> StoredFirst { get; } = [];

        public ValueTask OnBatchStoredAsync(IngestedBatch batch, CancellationToken cancellationToken)
        {
            lock (Spans)
            {
                // A store that takes OTLP bytes gets them; so does the observer.
                Spans.AddRange(batch.Spans);
                foreach (var request in batch.TraceRequests)
                {
                    Assert.True(OtlpSpans.TryToModel(request.Span, Spans));
                }

                StoredFirst.Add(batch.Mode == WriteMode.First);
            }

            return ValueTask.CompletedTask;
        }
    }
}
