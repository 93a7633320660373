using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Mesh.Proxy.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Proxy.Tests.Integration;

public sealed class ProtocolTests
{
    // A tiny gRPC service by hand: length-prefixed messages over h2c, status in trailers.
    private static async Task GrpcHandler(HttpContext ctx)
    {
        var messages = new List<byte[]>();
        var header = new byte[5];
        while (await ReadExactly(ctx.Request.Body, header))
        {
            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
            await ReadExactly(ctx.Request.Body, payload);
            messages.Add(payload);
        }

        ctx.Response.ContentType = "application/grpc";
        var te = ctx.Request.Headers.TE.ToString();
        var copies = ctx.Request.Path == "/test.Echo/Stream" ? 3 : 1;
        foreach (var m in messages)
        {
            for (var i = 0; i < copies; i++)
            {
                var reply = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(m)}#{i}");
                var frame = new byte[5 + reply.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)reply.Length);
                reply.CopyTo(frame, 5);
                await ctx.Response.Body.WriteAsync(frame);
                await ctx.Response.Body.FlushAsync();
            }
        }

        ctx.Response.AppendTrailer("grpc-status", messages.Count == 0 ? "3" : "0");
        ctx.Response.AppendTrailer("grpc-message", te == "trailers" ? "te-ok" : "te-missing");
    }

    private static async Task<bool> ReadExactly(Stream s, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await s.ReadAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static List<string> Frames(byte[] body)
    {
        var list = new List<string>();
        for (var i = 0; i + 5 <= body.Length;)
        {
            var len = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(i + 1));
            list.Add(Encoding.UTF8.GetString(body, i + 5, len));
            i += 5 + len;
        }

        return list;
    }

    private static async Task<(List<string> Messages, HttpResponseMessage Response)> CallAsync(int port, string method, params string[] messages)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var payload = new MemoryStream();
        foreach (var m in messages)
        {
            var bytes = Encoding.UTF8.GetBytes(m);
            var prefix = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), (uint)bytes.Length);
            payload.Write(prefix);
            payload.Write(bytes);
        }

        payload.Position = 0;
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StreamContent(payload),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (Frames(body), response);
    }

    private static string GrpcProxy(int upstream) => $$"""
        service: { name: edge }
        listeners: [{ name: grpc, port: {port}, protocol: http2 }]
        routes: [{ name: grpc, cluster: echo }]
        clusters: [{ name: echo, endpoints: [{ address: 127.0.0.1, port: {{upstream}} }] }]
        """;

    [Fact]
    public async Task Grpc_Unary_ThroughProxyWithTrailers()
    {
        await using var up = await Upstream.StartAsync(GrpcHandler, HttpProtocols.Http2);
        await using var proxy = await TestProxy.StartAsync(GrpcProxy(up.Port));

        var (messages, response) = await CallAsync(proxy.Port, "/test.Echo/Unary", "hello");

        Assert.Equal(["hello#0"], messages);
        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.Equal("te-ok", response.TrailingHeaders.GetValues("grpc-message").Single());
    }

    [Fact]
    public async Task Grpc_Streaming_AllMessagesAndTrailers()
    {
        await using var up = await Upstream.StartAsync(GrpcHandler, HttpProtocols.Http2);
        await using var proxy = await TestProxy.StartAsync(GrpcProxy(up.Port));

        var (messages, response) = await CallAsync(proxy.Port, "/test.Echo/Stream", "a", "b");

        Assert.Equal(["a#0", "a#1", "a#2", "b#0", "b#1", "b#2"], messages);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
    }

    [Fact]
    public async Task Grpc_ErrorStatus_PassedThrough()
    {
        await using var up = await Upstream.StartAsync(GrpcHandler, HttpProtocols.Http2);
        await using var proxy = await TestProxy.StartAsync(GrpcProxy(up.Port));

        var (messages, response) = await CallAsync(proxy.Port, "/test.Echo/Unary");

        Assert.Empty(messages);
        Assert.Equal("3", response.TrailingHeaders.GetValues("grpc-status").Single());
    }

    // Client streaming, paced: message n+1 is sent only after the reply to message n came back through the proxy, so
    // a proxy that held either body until its end would deadlock here (and fail on the timeout) instead of passing.
    [Fact]
    public async Task Grpc_ClientStreaming_PacedMessagesFlowBothWaysWithTrailers()
    {
        await using var up = await Upstream.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/grpc";
            var header = new byte[5];
            var count = 0;
            while (await ReadExactly(ctx.Request.Body, header))
            {
                var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
                await ReadExactly(ctx.Request.Body, payload);
                count++;
                await ctx.Response.Body.WriteAsync(Frame($"got {Encoding.UTF8.GetString(payload)}"));
                await ctx.Response.Body.FlushAsync();
            }

            ctx.Response.AppendTrailer("grpc-status", "0");
            ctx.Response.AppendTrailer("grpc-message", $"{count} messages");
        }, HttpProtocols.Http2);
        await using var proxy = await TestProxy.StartAsync(GrpcProxy(up.Port));
        string[] sent = ["one", "two", "three"];
        var replied = sent.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{proxy.Port}/test.Echo/Collect")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new PacedContent(sent, i => replied[i].Task),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TE.ParseAdd("trailers");

        var replies = new List<string>();
        await Task.Run(async () =>
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsStreamAsync();
            var header = new byte[5];
            for (var i = 0; i < sent.Length; i++)
            {
                Assert.True(await ReadExactly(body, header));
                var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
                Assert.True(await ReadExactly(body, payload));
                replies.Add(Encoding.UTF8.GetString(payload));
                replied[i].SetResult();
            }

            Assert.Equal(0, await body.ReadAsync(new byte[1]));
            Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
            Assert.Equal("3 messages", response.TrailingHeaders.GetValues("grpc-message").Single());
        }).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(["got one", "got two", "got three"], replies);
    }

    private static byte[] Frame(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>A request body that sends one gRPC message, then waits for its reply before sending the next.</summary>
    private sealed class PacedContent(string[] messages, Func<int, Task> replied) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < messages.Length; i++)
            {
                await stream.WriteAsync(Frame(messages[i]));
                await stream.FlushAsync();
                await replied(i);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task WebSocket_Echo_ThroughProxy()
    {
        await using var up = await Upstream.StartAsync(async ctx =>
        {
            using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await ws.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, CancellationToken.None);
            }
        }, webSockets: true);
        await using var proxy = await TestProxy.StartAsync(TestProxy.Simple(ports: up.Port));
        using var client = new ClientWebSocket();

        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/ws"), CancellationToken.None);
        var replies = new List<string>();
        foreach (var text in new[] { "hello", "mesh" })
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[1024];
            var r = await client.ReceiveAsync(buffer, CancellationToken.None);
            replies.Add(Encoding.UTF8.GetString(buffer, 0, r.Count));
        }

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal(["hello", "mesh"], replies);
        Assert.Equal(WebSocketState.Closed, client.State);
    }
}
