namespace Mesh.Bench.Query;

/// <summary>How the store was filled, how large it became, and the latency of each query.</summary>
internal sealed record QueryBenchmarkResult(QuerySettings Settings, FillResult Fill, long StoreBytes, Latency GetTrace, Latency FindTraces);
