using System.Diagnostics;
using Mesh.Demo.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mesh.Demo.Tracing;

/// <summary>
/// The service's own spans. Off unless <c>--otlp</c> is given: then a server span per request and a client
/// span per upstream call go to that OTLP/HTTP endpoint, and the trace context handed on names our client span.
/// </summary>
internal sealed class DemoTelemetry : IDisposable
{
    public const string SourceName = "Mesh.Demo";

    private readonly TracerProvider? _provider;

    public DemoTelemetry(DemoServiceOptions options)
    {
        Source = new ActivitySource(SourceName, options.Version);
        if (options.Otlp is null)
        {
            return;
        }

        var endpoint = options.Otlp.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal)
            ? options.Otlp
            : new Uri(options.Otlp, options.Otlp.AbsolutePath.TrimEnd('/') + "/v1/traces");
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(SourceName)
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(options.Name, "demo", options.Version, autoGenerateServiceInstanceId: true))
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = endpoint;
                if (!string.IsNullOrEmpty(options.OtlpHeaders))
                {
                    o.Headers = options.OtlpHeaders;
                }
            })
            .Build();
    }

    public ActivitySource Source { get; }

    public bool Enabled => _provider is not null;

    /// <summary>Sends what is buffered (at shutdown, and for tests that read what was exported).</summary>
    public void Flush() => _provider?.ForceFlush(5000);

    public void Dispose()
    {
        _provider?.Dispose();
        Source.Dispose();
    }
}
