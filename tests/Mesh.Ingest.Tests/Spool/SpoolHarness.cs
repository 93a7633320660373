using System.Text;
using Mesh.Ingest.Pipeline;
using Mesh.Ingest.Spool;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Mesh.Ingest.Tests.Spool;

/// <summary>Opens spools on a temp directory and reads them back, for the spool and drainer tests.</summary>
internal static class SpoolHarness
{
    public static FileSpool Open(string directory, IngestMetrics metrics, Func<SpoolOptions, SpoolOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new SpoolOptions { Directory = directory };
        return FileSpool.Open(configure?.Invoke(options) ?? options, metrics, NullLogger<FileSpool>.Instance, time ?? TimeProvider.System);
    }

    public static byte[] Payload(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task AppendAllAsync(FileSpool spool, params string[] payloads)
    {
        foreach (var payload in payloads)
        {
            var result = await spool.AppendAsync(SignalType.Traces, Payload(payload), CancellationToken.None);
            Assert.True(result.Accepted);
        }
    }

    /// <summary>Everything readable now, copied out of the pooled batches.</summary>
    public static List<(SpoolRecord Record, string Payload)> ReadAll(FileSpool spool, int maxRecords = 1000, int maxBytes = 1 << 20)
    {
        var all = new List<(SpoolRecord, string)>();
        while (true)
        {
            using var batch = spool.Read(maxRecords, maxBytes);
            if (batch.EndPosition == batch.StartPosition)
            {
                return all;
            }

            all.AddRange(batch.Records.Select(r => (r, Encoding.UTF8.GetString(r.Payload.Span))));
        }
    }
}
