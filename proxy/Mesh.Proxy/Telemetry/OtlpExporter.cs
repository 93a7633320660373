using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;
using Mesh.Proxy.Admin;
using Mesh.Proxy.Config;
using Microsoft.Extensions.Logging;

namespace Mesh.Proxy.Telemetry;

/// <summary>
/// Bounded batching exporter (OTel's BatchExportProcessor shape): the request path only does a non-blocking
/// TryWrite into a bounded channel — when the exporter is behind, the record is dropped and counted, never
/// waited for. One background loop drains batches of up to BatchSize (or whatever arrived within
/// ExportInterval) and POSTs OTLP/HTTP protobuf to /v1/traces and /v1/logs.
/// </summary>
internal sealed class OtlpExporter : ITelemetrySink, IAsyncDisposable
{
    private readonly Channel<RequestRecord> _queue;
    private readonly Func<ProxyConfig?> _config;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OtlpExporter(Func<ProxyConfig?> config, int capacity, TimeProvider time, ILogger logger)
    {
        _config = config;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<RequestRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ActivityHeadersPropagator = null }) { Timeout = TimeSpan.FromSeconds(10) };
        _loop = Task.Run(RunAsync);
    }

    public Counter Received { get; } = new();

    public Counter Dropped { get; } = new();

    public Counter ExportedSpans { get; } = new();

    public Counter ExportedLogs { get; } = new();

    public Counter ExportFailures { get; } = new();

    public int Queued => _queue.Reader.Count;

    public void Submit(RequestRecord record)
    {
        if (_config()?.Telemetry.OtlpEndpoint is null)
        {
            return;
        }

        Received.Increment();
        if (!_queue.Writer.TryWrite(record))
        {
            Dropped.Increment();
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<RequestRecord>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                var telemetry = _config()?.Telemetry ?? new TelemetryConfig();
                using (var linger = new CancellationTokenSource(telemetry.ExportInterval, _time))
                {
                    try
                    {
                        while (batch.Count < telemetry.BatchSize)
                        {
                            while (batch.Count < telemetry.BatchSize && reader.TryRead(out var r))
                            {
                                batch.Add(r);
                            }

                            if (batch.Count >= telemetry.BatchSize || !await reader.WaitToReadAsync(linger.Token).ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                    }
                }

                await ExportAsync(batch, _stop.Token).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        // Shutdown: one last flush of what is already queued, bounded by the HttpClient timeout.
        while (reader.TryRead(out var r))
        {
            batch.Add(r);
        }

        await ExportAsync(batch, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ExportAsync(List<RequestRecord> batch, CancellationToken cancellationToken)
    {
        var config = _config();
        if (batch.Count == 0 || config?.Telemetry.OtlpEndpoint is not { } endpoint)
        {
            return;
        }

        var resource = OtlpEncoder.Resource(config.Service);
        var spans = config.Telemetry.Spans ? batch.Where(r => r.Sampled).ToList() : [];
        if (spans.Count > 0 && await PostAsync(new Uri(endpoint, "v1/traces"), OtlpEncoder.Traces(resource, spans), config.Telemetry.Token, cancellationToken).ConfigureAwait(false))
        {
            ExportedSpans.Add(spans.Count);
        }

        if (config.Telemetry.AccessLogs && await PostAsync(new Uri(endpoint, "v1/logs"), OtlpEncoder.Logs(resource, batch), config.Telemetry.Token, cancellationToken).ConfigureAwait(false))
        {
            ExportedLogs.Add(batch.Count);
        }
    }

    private async Task<bool> PostAsync(Uri url, IMessage message, string? token, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(message.ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            _logger.LogWarning("OTLP export to {Url} answered {Status}; the batch is dropped", url, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            _logger.LogWarning("OTLP export to {Url} failed: {Message}; the batch is dropped", url, ex.Message);
        }

        ExportFailures.Increment();
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        // Let the loop drain what is queued (the channel completes), then stop waiting after a bound.
        _queue.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5), _time)).ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
