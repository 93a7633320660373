using Mesh.Otlp.Wire;
using static Mesh.Otlp.Wire.ProtoWireReader;

namespace Mesh.Ingest.Validation;

/// <summary>The logs half of the scanner, mirroring <see cref="LogRequestValidator"/>.</summary>
internal sealed partial class OtlpWireScanner
{
    /// <summary>
    /// True when <paramref name="request"/> is an <c>ExportLogsServiceRequest</c> that parses and passes validation
    /// unmodified; <paramref name="records"/> is then the number of log records in it. False means "take the slow path".
    /// </summary>
    public bool TryScanLogs(ReadOnlySpan<byte> request, out long records) => TryScanRequest(request, logs: true, out records);

    private bool TryScanLogRecord(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoWireReader(message);
        var seen = 0u;
        var attributes = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var tag))
            {
                return false;
            }

            var ok = tag switch
            {
                (1 << 3) | Fixed64 or (11 << 3) | Fixed64 or (8 << 3) | Fixed32 => reader.TrySkip(tag & 7),
                (2 << 3) | Varint or (7 << 3) | Varint => reader.TryReadVarint(out _), // severity_number, dropped count
                (3 << 3) | Len or (12 << 3) | Len => reader.TryReadLengthDelimited(out _), // severity_text, event_name
                (5 << 3) | Len => Once(ref seen, 5) && reader.TryReadLengthDelimited(out var body) && TryScanAnyValue(body, 1),
                (6 << 3) | Len => ++attributes <= _maxAttributes && reader.TryReadLengthDelimited(out var kv) && TryScanKeyValue(kv, 1),

                // Ids are optional on logs, but when present they must have the right width.
                (9 << 3) | Len => Once(ref seen, 9) && reader.TryReadLengthDelimited(out var traceId) && traceId.Length is 0 or 16,
                (10 << 3) | Len => Once(ref seen, 10) && reader.TryReadLengthDelimited(out var spanId) && spanId.Length is 0 or 8,
                _ => TrySkipUnknown(ref reader, tag, maxKnownField: 12), // field 4 is reserved: gives up
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
