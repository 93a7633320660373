namespace Mesh.Core.Storage;

/// <summary>
/// One operation (span name) of a service over a window: the requests it served, how many of them failed, and the
/// nearest-rank 99th percentile of their durations (the duration of rank ⌈0.99·n⌉ in sorted order).
/// </summary>
public sealed record OperationStats(string Name, long Requests, long Errors, long P99Nanos);
