using Mesh.Storage.ClickHouse.Client;
using Mesh.Testing;
using Xunit;

namespace Mesh.Storage.Tests.ClickHouse;

[Collection(ClickHouseTestGroup.Name)]
public sealed class ClickHouseVersionTests(ClickHouseServer server)
{
    [Theory]
    [InlineData("18.16.1", 18, 16, 1)]
    [InlineData("23.8.2.7", 23, 8, 2)]
    [InlineData("24.3", 24, 3, 0)]
    [InlineData(" 25.10.1.3832-stable\n", 25, 10, 1)]
    public void TryParse_ServerVersions_ReadsMajorMinorPatch(string text, int major, int minor, int patch)
    {
        Assert.True(ClickHouseVersion.TryParse(text, out var version));
        Assert.Equal(new ClickHouseVersion(major, minor, patch), version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("18")]
    public void TryParse_NotAVersion_ReturnsFalse(string text)
    {
        Assert.False(ClickHouseVersion.TryParse(text, out _));
    }

    [Theory]
    [InlineData(18, 16, false, false)]
    [InlineData(19, 3, true, false)]
    [InlineData(20, 1, true, true)]
    [InlineData(25, 3, true, true)]
    public void Capabilities_ByVersion_FollowTheReleasesThatAddedThem(int major, int minor, bool lowCardinality, bool skippingIndexes)
    {
        var capabilities = new ClickHouseCapabilities(new ClickHouseVersion(major, minor, 0));

        Assert.Equal(lowCardinality, capabilities.LowCardinality);
        Assert.Equal(skippingIndexes, capabilities.SkippingIndexes);
    }

    [Fact]
    public void Capabilities_BeforeDetection_AreTheOldestServers()
    {
        Assert.False(ClickHouseCapabilities.Oldest.LowCardinality);
        Assert.False(ClickHouseCapabilities.Oldest.SkippingIndexes);
    }

    [Fact]
    public async Task InitializeAsync_RealServer_DetectsItsVersionAndCreatesMatchingColumns()
    {
        await using var store = await ClickHouseTestStores.CreateAsync(server);
        var reported = JsonEachRow.Read(
            await store.Client.QueryAsync(SqlFragment.Trusted("SELECT version() AS v FORMAT JSONEachRow"), CancellationToken.None),
            row => JsonEachRow.String(row, "v")).Single();
        Assert.True(ClickHouseVersion.TryParse(reported, out var expected));

        Assert.Equal(expected, store.Capabilities.Version);
        var serviceType = JsonEachRow.Read(
            await store.Client.QueryAsync(
                SqlFragment.Format($"SELECT type FROM system.columns WHERE database = {ClickHouseSql.Quote(store.Options.Database)} AND table = 'spans' AND name = 'service' FORMAT JSONEachRow"),
                CancellationToken.None),
            row => JsonEachRow.String(row, "type")).Single();
        Assert.Equal(store.Capabilities.LowCardinality ? "LowCardinality(String)" : "String", serviceType);
    }
}
