using System.Net;
using Mesh.Proxy.Tests.Support;
using Mesh.Testing;
using Microsoft.AspNetCore.Http;

namespace Mesh.Proxy.Tests.Integration;

/// <summary>The real <c>mesh proxy</c> command: bad config exits with the field named; a 1 GiB upload streams in bounded memory.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task MeshProxy_BadConfig_ExitsNamingField()
    {
        var dir = Directory.CreateTempSubdirectory("mesh-proxy-");
        var path = Path.Combine(dir.FullName, "proxy.yaml");
        await File.WriteAllTextAsync(path, """
            service: { name: edge }
            listeners: [{ name: main, port: 8080 }]
            routes:
              - name: r
                split: [{ cluster: a, weight: 60 }, { cluster: a, weight: 30 }]
            clusters: [{ name: a, endpoints: [{ address: 127.0.0.1, port: 9 }] }]
            """);
        await using var proxy = ProxyProcess.Start(path);

        var code = await proxy.WaitForExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("routes[0].split: weights sum to 90, expected 100", proxy.Output, StringComparison.Ordinal);
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task MeshProxy_OneGibUpload_StreamsWithBoundedMemory()
    {
        long received = 0;
        await using var up = await Upstream.StartAsync(async ctx =>
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(buffer)) > 0)
            {
                received += n;
            }

            await ctx.Response.WriteAsync(received.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("mesh-proxy-");
        var path = Path.Combine(dir.FullName, "proxy.yaml");
        await File.WriteAllTextAsync(path, $$"""
            service: { name: edge }
            listeners: [{ name: main, port: {{port}} }]
            routes: [{ name: upload, cluster: sink }]
            clusters: [{ name: sink, endpoints: [{ address: 127.0.0.1, port: {{up.Port}} }] }]
            """);
        await using var proxy = ProxyProcess.Start(path);
        await proxy.WaitForPortAsync(port);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        (await client.GetAsync($"http://127.0.0.1:{port}/warmup")).Dispose();
        var before = proxy.Memory();

        const long size = 1L << 30;
        using var response = await client.PostAsync($"http://127.0.0.1:{port}/upload", new StreamContent(new PatternStream(size), 64 * 1024));
        var after = proxy.Memory();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());

        // 1 GiB went through; the proxy's peak resident set grew by far less than that (it streams, never buffers).
        var growthMb = (after.PeakKb - before.RssKb) / 1024.0;
        Assert.True(growthMb < 64, $"proxy peak RSS grew {growthMb:0.#} MB during a 1 GiB upload (rss before {before.RssKb / 1024} MB, peak {after.PeakKb / 1024} MB)");
        dir.Delete(recursive: true);
    }

    /// <summary>A read-only stream of a given length that never holds more than the caller's buffer.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'m');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
