namespace Mesh.Core.Telemetry;

/// <summary>The OTLP <c>AnyValue</c> variants.</summary>
public enum AnyValueKind : byte
{
    Empty = 0,
    String = 1,
    Bool = 2,
    Int = 3,
    Double = 4,
    Array = 5,
    KvList = 6,
    Bytes = 7,
}
