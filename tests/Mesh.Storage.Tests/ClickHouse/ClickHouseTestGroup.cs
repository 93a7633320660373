using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

/// <summary>One private ClickHouse server for every ClickHouse test class; the classes run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClickHouseTestGroup : ICollectionFixture<ClickHouseServer>
{
    public const string Name = "ClickHouse";
}
