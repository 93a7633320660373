namespace Mesh.Demo.Tests.Fixtures;

/// <summary>Tests that share one running demo store.</summary>
[CollectionDefinition(Name)]
public sealed class DemoStackCollection : ICollectionFixture<DemoStack>
{
    public const string Name = "demo stack";
}
