namespace Mesh.Bench.Ingest;

/// <summary>One ingest benchmark run: which store, how long, how many clients, how large their requests.</summary>
internal sealed record IngestSettings(string Store, int Seconds, int Clients, int SpansPerRequest, int WarmupSeconds)
{
    public bool IsClickHouse => Store == "clickhouse";
}
