namespace Mesh.Core.Telemetry;

/// <summary>OTLP <c>Status.StatusCode</c>; the numbers are the wire values.</summary>
public enum StatusCode
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}
