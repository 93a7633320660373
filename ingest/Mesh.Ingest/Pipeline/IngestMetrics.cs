using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Mesh.Ingest.Pipeline;

/// <summary>
/// Ingest counters, exposed in the Prometheus text format on <c>/metrics</c>.
/// Lock-free increments: receivers and the drainer bump them on every request and batch.
/// </summary>
public sealed class IngestMetrics
{
    private readonly ConcurrentDictionary<(string Signal, string Reason), long> _rejected = new();
    private readonly ConcurrentDictionary<string, long> _truncated = new();
    private long _receivedSpans;
    private long _receivedLogs;
    private long _acceptedSpans;
    private long _acceptedLogs;
    private long _writtenSpans;
    private long _writtenLogs;
    private long _writeRetries;
    private long _spooledBytes;
    private long _spoolRecords;
    private long _spoolFsyncs;
    private long _spoolCorruptedBytes;
    private long _drainSkippedRecords;

    public long ReceivedSpans => Interlocked.Read(ref _receivedSpans);

    public long AcceptedSpans => Interlocked.Read(ref _acceptedSpans);

    public long WrittenSpans => Interlocked.Read(ref _writtenSpans);

    public long WrittenLogs => Interlocked.Read(ref _writtenLogs);

    public long WriteRetries => Interlocked.Read(ref _writeRetries);

    public long SpoolRecords => Interlocked.Read(ref _spoolRecords);

    /// <summary>Group commits: one per fsync, however many appends it made durable.</summary>
    public long SpoolFsyncs => Interlocked.Read(ref _spoolFsyncs);

    public long SpoolCorruptedBytes => Interlocked.Read(ref _spoolCorruptedBytes);

    public long DrainSkippedRecords => Interlocked.Read(ref _drainSkippedRecords);

    /// <summary>Bytes currently in the spool and not yet drained to the store (a gauge).</summary>
    public long SpooledBytes => Interlocked.Read(ref _spooledBytes);

    public void Received(bool traces, long items) =>
        Interlocked.Add(ref traces ? ref _receivedSpans : ref _receivedLogs, items);

    public void Accepted(bool traces, long items) =>
        Interlocked.Add(ref traces ? ref _acceptedSpans : ref _acceptedLogs, items);

    public void Written(bool traces, long items) =>
        Interlocked.Add(ref traces ? ref _writtenSpans : ref _writtenLogs, items);

    /// <summary>Counts a rejected request (or rejected items) by signal and a short reason such as <c>bad_protobuf</c>.</summary>
    public void Rejected(string signal, string reason, long items = 1) =>
        _rejected.AddOrUpdate((signal, reason), items, (_, v) => v + items);

    /// <summary>Counts values cut to the configured limits: <c>attributes</c>, <c>value_length</c>, <c>events</c>, <c>links</c>.</summary>
    public void Truncated(string what, long count = 1) => _truncated.AddOrUpdate(what, count, (_, v) => v + count);

    public void WriteRetried() => Interlocked.Increment(ref _writeRetries);

    public void SetSpooledBytes(long bytes) => Interlocked.Exchange(ref _spooledBytes, bytes);

    public void SpoolAppended(long records) => Interlocked.Add(ref _spoolRecords, records);

    public void SpoolFsynced() => Interlocked.Increment(ref _spoolFsyncs);

    /// <summary>Counts damaged spool bytes skipped when reading (disk corruption; never expected).</summary>
    public void SpoolCorrupted(long bytes) => Interlocked.Add(ref _spoolCorruptedBytes, bytes);

    /// <summary>Counts spool records the drainer could not parse and skipped so they cannot wedge the pipeline.</summary>
    public void DrainSkipped(long records = 1) => Interlocked.Add(ref _drainSkippedRecords, records);

    public long RejectedCount(string signal, string reason) => _rejected.TryGetValue((signal, reason), out var v) ? v : 0;

    public void WritePrometheus(StringBuilder sb)
    {
        Counter(sb, "mesh_ingest_received_items_total", "Spans and log records received, before validation.",
            ("signal=\"traces\"", ReceivedSpans), ("signal=\"logs\"", Interlocked.Read(ref _receivedLogs)));
        Counter(sb, "mesh_ingest_accepted_items_total", "Items durably spooled and acknowledged.",
            ("signal=\"traces\"", AcceptedSpans), ("signal=\"logs\"", Interlocked.Read(ref _acceptedLogs)));
        Counter(sb, "mesh_ingest_rejected_total", "Requests or items refused, by reason.",
            [.. _rejected.OrderBy(kv => kv.Key).Select(kv => ($"signal=\"{kv.Key.Signal}\",reason=\"{kv.Key.Reason}\"", kv.Value))]);
        Counter(sb, "mesh_ingest_truncated_total", "Attributes, values, events and links cut to the configured limits.",
            [.. _truncated.OrderBy(kv => kv.Key).Select(kv => ($"what=\"{kv.Key}\"", kv.Value))]);
        Counter(sb, "mesh_ingest_written_items_total", "Items written to the store.",
            ("signal=\"traces\"", WrittenSpans), ("signal=\"logs\"", WrittenLogs));
        Counter(sb, "mesh_ingest_write_retries_total", "Store writes retried after a failure.", (string.Empty, WriteRetries));
        Counter(sb, "mesh_ingest_spool_records_total", "Records appended to the spool.", (string.Empty, Interlocked.Read(ref _spoolRecords)));
        Counter(sb, "mesh_ingest_spool_fsyncs_total", "Group commits (fsyncs) of the spool.", (string.Empty, SpoolFsyncs));
        Counter(sb, "mesh_ingest_spool_corrupted_bytes_total", "Damaged spool bytes skipped when reading.", (string.Empty, SpoolCorruptedBytes));
        Counter(sb, "mesh_ingest_drain_skipped_records_total", "Spool records that could not be parsed and were skipped.", (string.Empty, DrainSkippedRecords));
        sb.Append("# HELP mesh_ingest_spooled_bytes Bytes in the spool not yet written to the store.\n");
        sb.Append("# TYPE mesh_ingest_spooled_bytes gauge\n");
        sb.Append("mesh_ingest_spooled_bytes ").Append(SpooledBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Counter(StringBuilder sb, string name, string help, params (string Labels, long Value)[] series)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var (labels, value) in series)
        {
            sb.Append(name);
            if (labels.Length != 0)
            {
                sb.Append('{').Append(labels).Append('}');
            }

            sb.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
