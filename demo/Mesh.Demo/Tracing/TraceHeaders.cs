namespace Mesh.Demo.Tracing;

/// <summary>The W3C trace context a request arrived with, to hand on to the calls it makes.</summary>
internal sealed record TraceHeaders(string Traceparent, string? Tracestate)
{
    public const string TraceparentHeader = "traceparent";
    public const string TracestateHeader = "tracestate";

    private static readonly AsyncLocal<TraceHeaders?> CurrentRequest = new();

    /// <summary>The context of the request being handled on this async flow, if any.</summary>
    public static TraceHeaders? Current
    {
        get => CurrentRequest.Value;
        set => CurrentRequest.Value = value;
    }
}
