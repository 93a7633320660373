namespace Mesh.Core.Telemetry;

/// <summary>OTLP <c>Span.SpanKind</c>; the numbers are the wire values.</summary>
public enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}
