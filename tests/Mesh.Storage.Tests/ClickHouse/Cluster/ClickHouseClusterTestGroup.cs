using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse.Cluster;

/// <summary>One private two-shard cluster for every cluster-mode test class; the classes run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClickHouseClusterTestGroup : ICollectionFixture<ClickHouseCluster>
{
    public const string Name = "ClickHouse cluster";
}
