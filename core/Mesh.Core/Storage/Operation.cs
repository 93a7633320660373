using Mesh.Core.Telemetry;

namespace Mesh.Core.Storage;

/// <summary>A span name a service uses, with the span kind it was seen with.</summary>
public sealed record Operation(string Name, SpanKind Kind);
