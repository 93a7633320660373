using Mesh.Core.Rollups;
using Xunit;

namespace Mesh.Storage.Tests.Rollups;

/// <summary>The contract of every rollup store, run once per backend against a real server; each test gets a fresh store.</summary>
public abstract partial class RollupStoreConformanceTests
{
    private const long T0 = 1_800_000_000; // a multiple of 3600
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static readonly EdgeKey AtoB = new()
    {
        SourceService = "frontend",
        SourceVersion = "v1",
        SourceNamespace = "shop",
        DestinationService = "cart",
        DestinationVersion = "v2",
        DestinationNamespace = "shop",
        DestinationEndpoint = "10.0.0.7:8080",
        Route = "cart-route",
    };

    private static readonly EdgeKey AtoDb = new()
    {
        SourceService = "frontend",
        DestinationService = "orders-db",
        DestinationKind = NodeKind.Database,
        SourceKind = NodeKind.Ingress,
    };

    protected abstract Task<IRollupStore> CreateStoreAsync();

    [Fact]
    public async Task Write_TwoNodesSameBucket_SumsMergeByAddition()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.WriteAsync([Row(AtoB, T0, requests: 10, errors: 1, [(100, 6), (200, 4)])], "node-a/1", Ct);
        await store.Writer.WriteAsync([Row(AtoB, T0, requests: 5, errors: 2, [(200, 1), (300, 4)])], "node-b/1", Ct);

        var row = Assert.Single(await store.Reader.ReadAsync(Query(T0, T0 + 10, perBucket: true), Ct));
        Assert.Equal(AtoB, row.Key);
        Assert.Equal((T0, 15L, 3L, 150L, 1500L, 15L, 30L, 45L, 60L, 75L), (row.BucketStartUnixSeconds, row.Requests, row.Errors, row.BytesIn, row.BytesOut, row.MtlsRequests, row.Retries, row.RateLimited, row.CircuitBroken, row.LatencySumNanos));
        Assert.Equal(HistogramCounts.From([new(100, 6), new(200, 5), new(300, 4)]), row.Histogram);
    }

    [Fact]
    public async Task Write_SameContributionTwice_AddedOnce()
    {
        await using var store = await CreateStoreAsync();
        var rows = new[] { Row(AtoB, T0, requests: 10, errors: 1, [(100, 10)]) };
        await store.Writer.WriteAsync(rows, "node-a/7", Ct);
        await store.Writer.WriteAsync(rows, "node-a/7", Ct);
        Assert.Equal(10, Assert.Single(await store.Reader.ReadAsync(Query(T0, T0 + 10), Ct)).Requests);
    }

    [Fact]
    public async Task Read_WholeRange_OneRowPerEdgeSummedOverBuckets()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.WriteAsync(
            [
                Row(AtoB, T0, 1, 0, [(10, 1)]),
                Row(AtoB, T0 + 10, 2, 1, [(20, 2)]),
                Row(AtoB, T0 + 20, 4, 0, [(30, 4)]),
                Row(AtoDb, T0 + 10, 8, 8, [(40, 8)]),
                Row(AtoB, T0 - 10, 100, 0, [(50, 100)]),
                Row(AtoB, T0 + 30, 100, 0, [(50, 100)]),
            ],
            "c1",
            Ct);

        var rows = (await store.Reader.ReadAsync(Query(T0, T0 + 30), Ct)).OrderBy(r => r.Key.DestinationService).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal((7L, 1L, T0), (rows[0].Requests, rows[0].Errors, rows[0].BucketStartUnixSeconds));
        Assert.Equal(HistogramCounts.From([new(10, 1), new(20, 2), new(30, 4)]), rows[0].Histogram);
        Assert.Equal(AtoDb, rows[1].Key);
        Assert.Equal(8, rows[1].Requests);

        var series = (await store.Reader.ReadAsync(Query(T0, T0 + 30, perBucket: true) with { DestinationService = "cart" }, Ct))
            .OrderBy(r => r.BucketStartUnixSeconds).ToList();
        Assert.Equal([T0, T0 + 10, T0 + 20], series.Select(r => r.BucketStartUnixSeconds));
        Assert.Equal([1L, 2L, 4L], series.Select(r => r.Requests));
    }

    [Fact]
    public async Task Read_ResolutionsAndFilters_KeptApart()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.WriteAsync([Row(AtoB, T0, 3, 0, [(1, 3)]), Row(AtoB, T0, 5, 0, [(1, 5)]) with { ResolutionSeconds = 60 }], "c1", Ct);
        Assert.Equal(5, Assert.Single(await store.Reader.ReadAsync(Query(T0, T0 + 60) with { ResolutionSeconds = 60 }, Ct)).Requests);
        Assert.Equal(3, Assert.Single(await store.Reader.ReadAsync(Query(T0, T0 + 60) with { SourceService = "frontend" }, Ct)).Requests);
        Assert.Empty(await store.Reader.ReadAsync(Query(T0, T0 + 60) with { SourceService = "cart" }, Ct));
        Assert.Empty(await store.Reader.ReadAsync(Query(T0 + 10, T0 + 60), Ct));
    }

    [Fact]
    public async Task Initialize_Twice_KeepsRows()
    {
        await using var store = await CreateStoreAsync();
        await store.Writer.WriteAsync([Row(AtoB, T0, 3, 0, [(1, 3)])], "c1", Ct);
        await store.InitializeAsync(Ct);
        Assert.Single(await store.Reader.ReadAsync(Query(T0, T0 + 10), Ct));
    }

    private static RollupQuery Query(long start, long end, bool perBucket = false) => new()
    {
        ResolutionSeconds = 10,
        StartUnixSeconds = start,
        EndUnixSeconds = end,
        PerBucket = perBucket,
    };

    private static RollupRow Row(EdgeKey key, long bucket, long requests, long errors, (int Index, long Count)[] histogram) => new()
    {
        ResolutionSeconds = 10,
        BucketStartUnixSeconds = bucket,
        Key = key,
        Requests = requests,
        Errors = errors,
        BytesIn = requests * 10,
        BytesOut = requests * 100,
        MtlsRequests = requests,
        Retries = requests * 2,
        RateLimited = requests * 3,
        CircuitBroken = requests * 4,
        LatencySumNanos = requests * 5,
        Histogram = HistogramCounts.From(histogram.Select(h => KeyValuePair.Create(h.Index, h.Count))),
    };
}
