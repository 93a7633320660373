using System.Collections.Concurrent;
using Mesh.Core.Telemetry;
using Mesh.Otlp.Conversion;

namespace Mesh.Demo.Tests.Fixtures;

/// <summary>A minimal OTLP/HTTP trace receiver: decodes every <c>/v1/traces</c> POST and keeps the spans.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public OtlpReceiver()
    {
        (_app, Port) = LoopbackApp.Create();
        _app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            Headers.Enqueue(request.Headers.Authorization.ToString());
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var spans = new List<Span>();
            if (!OtlpSpans.TryToModel(body.ToArray(), spans))
            {
                return Results.BadRequest();
            }

            foreach (var span in spans)
            {
                Spans.Enqueue(span);
            }

            return Results.Ok();
        });
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<Span> Spans { get; } = new();

    public ConcurrentQueue<string> Headers { get; } = new();

    public Task StartAsync() => _app.StartAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
