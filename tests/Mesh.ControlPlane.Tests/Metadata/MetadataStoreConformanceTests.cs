using Mesh.Core.Metadata;
using Xunit;

namespace Mesh.ControlPlane.Tests.Metadata;

/// <summary>The contract of <see cref="IMetadataStore"/>, run once per backend against the real server.</summary>
public abstract class MetadataStoreConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IMetadataStore> CreateStoreAsync();

    [Fact]
    public async Task Initialize_Twice_IsIdempotentAndKeepsData()
    {
        await using var store = await CreateStoreAsync();
        await store.Audit.AppendAsync(new AuditEntry(0, T0, "alice", "apply", "Service/shop/cart", "{}"), default);

        await store.InitializeAsync(default);
        await store.InitializeAsync(default);

        Assert.Single(await store.Audit.ListAsync(10, default));
        Assert.Equal(0, await store.Config.GetHeadAsync(default));
    }

    [Fact]
    public async Task Commit_UpsertsDeletesAndRecordsRevision()
    {
        await using var store = await CreateStoreAsync();
        var first = await store.Config.CommitAsync(Commit(0, "alice", [Resource("Service", "cart", "{\"a\":1}"), Resource("Service", "pay", "{}")], []), default);
        var second = await store.Config.CommitAsync(
            Commit(1, "bob", [Resource("Service", "cart", "{\"a\":2}")], [new ResourceKey("Service", "shop", "pay")]) with { Message = "second" },
            default);

        Assert.Equal(1, first.Number);
        Assert.Equal(2, second.Number);
        Assert.Equal(2, await store.Config.GetHeadAsync(default));
        var resources = await store.Config.ListResourcesAsync(default);
        var cart = Assert.Single(resources);
        Assert.Equal(("Service", "shop", "cart", "{\"a\":2}", 2L), (cart.Kind, cart.Namespace, cart.Name, cart.Spec, cart.Revision));

        var revisions = await store.Config.ListRevisionsAsync(10, default);
        Assert.Equal([2L, 1L], revisions.Select(r => r.Number));
        Assert.Equal("bob", revisions[0].Author);
        Assert.Equal("second", revisions[0].Message);
        Assert.Equal(T0, revisions[1].At);
        Assert.All(revisions, r => Assert.Null(r.Snapshot));

        var one = await store.Config.GetRevisionAsync(1, default);
        Assert.NotNull(one);
        Assert.Equal("snapshot-1", one.Snapshot);
        Assert.Equal("diff-1", one.Diff);
        Assert.Null(await store.Config.GetRevisionAsync(99, default));
    }

    [Fact]
    public async Task Commit_StaleHead_ThrowsConflictAndChangesNothing()
    {
        await using var store = await CreateStoreAsync();
        await store.Config.CommitAsync(Commit(0, "alice", [Resource("Service", "cart", "{}")], []), default);

        await Assert.ThrowsAsync<RevisionConflictException>(async () =>
            await store.Config.CommitAsync(Commit(0, "bob", [Resource("Service", "other", "{}")], []), default));

        Assert.Equal(1, await store.Config.GetHeadAsync(default));
        Assert.Single(await store.Config.ListResourcesAsync(default));
        Assert.Single(await store.Config.ListRevisionsAsync(10, default));
    }

    [Fact]
    public async Task Commit_ConcurrentOnSameHead_ExactlyOneWins()
    {
        await using var store = await CreateStoreAsync();

        var attempts = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.Config.CommitAsync(Commit(0, $"user{i}", [Resource("Service", $"s{i}", "{}")], []), default);
                return true;
            }
            catch (RevisionConflictException)
            {
                return false;
            }
        })).ToArray();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(1, await store.Config.GetHeadAsync(default));
        Assert.Single(await store.Config.ListResourcesAsync(default));
    }

    [Fact]
    public async Task Endpoints_LeaseRenewAndExpiry()
    {
        await using var store = await CreateStoreAsync();
        await store.Endpoints.UpsertAsync(Endpoint("a", T0.AddSeconds(30)), default);
        await store.Endpoints.UpsertAsync(Endpoint("b", T0.AddSeconds(10)), default);
        await store.Endpoints.UpsertAsync(Endpoint("a", T0.AddSeconds(30)) with { Weight = 7 }, default);

        var live = await store.Endpoints.ListLiveAsync(T0, default);
        Assert.Equal(["a", "b"], live.Select(e => e.Id));
        Assert.Equal(7, live[0].Weight);
        Assert.Equal("{\"zone\":\"z1\"}", live[0].Labels);
        Assert.Equal(T0.AddSeconds(30), live[0].ExpiresAt);

        Assert.True(await store.Endpoints.RenewAsync("b", T0.AddSeconds(5), T0.AddSeconds(40), default));
        Assert.False(await store.Endpoints.RenewAsync("a", T0.AddSeconds(31), T0.AddSeconds(60), default));
        Assert.False(await store.Endpoints.RenewAsync("missing", T0, T0.AddSeconds(60), default));
        Assert.Equal(["b"], (await store.Endpoints.ListLiveAsync(T0.AddSeconds(35), default)).Select(e => e.Id));

        var expired = await store.Endpoints.DeleteExpiredAsync(T0.AddSeconds(35), default);
        Assert.Equal(["a"], expired.Select(e => e.Id));
        Assert.Empty(await store.Endpoints.DeleteExpiredAsync(T0.AddSeconds(35), default));
        Assert.True(await store.Endpoints.DeleteAsync("b", default));
        Assert.False(await store.Endpoints.DeleteAsync("b", default));
        Assert.Empty(await store.Endpoints.ListLiveAsync(T0, default));
    }

    [Fact]
    public async Task Tokens_FindByHashUntilRevoked_DuplicateRejected()
    {
        await using var store = await CreateStoreAsync();
        var token = new ApiTokenRecord("tok_1", "ci", "operator", "abc123", T0, "admin", null);
        await store.Tokens.CreateAsync(token, default);

        Assert.Equal(token, await store.Tokens.FindByHashAsync("abc123", default));
        Assert.Null(await store.Tokens.FindByHashAsync("other", default));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.Tokens.CreateAsync(token with { Id = "tok_2" }, default));

        Assert.True(await store.Tokens.RevokeAsync("tok_1", T0.AddHours(1), default));
        Assert.False(await store.Tokens.RevokeAsync("tok_1", T0.AddHours(2), default));
        Assert.Null(await store.Tokens.FindByHashAsync("abc123", default));
        var listed = Assert.Single(await store.Tokens.ListAsync(default));
        Assert.Equal(T0.AddHours(1), listed.RevokedAt);
    }

    [Fact]
    public async Task Decisions_ActiveUntilClearedOrExpired()
    {
        await using var store = await CreateStoreAsync();
        var eject = await store.Decisions.AddAsync(Decision("e1", "eject", null, T0.AddMinutes(5)), default);
        var weight = await store.Decisions.AddAsync(Decision("e2", "weight", 20, null) with { Pinned = true, Source = "operator" }, default);
        var third = await store.Decisions.AddAsync(Decision("e3", "eject", null, null), default);

        Assert.True(eject.Id > 0 && weight.Id > eject.Id && third.Id > weight.Id);
        Assert.Equal([eject.Id, weight.Id, third.Id], (await store.Decisions.ListActiveAsync(T0, default)).Select(d => d.Id));
        Assert.True(await store.Decisions.ClearAsync(third.Id, "bob", T0.AddMinutes(1), default));
        Assert.False(await store.Decisions.ClearAsync(third.Id, "bob", T0.AddMinutes(1), default));

        var active = await store.Decisions.ListActiveAsync(T0.AddMinutes(6), default);
        var pinned = Assert.Single(active);
        Assert.Equal(weight, pinned);
        Assert.Equal(20, pinned.Weight);
        Assert.True(pinned.Pinned);

        var recent = await store.Decisions.ListRecentAsync(10, default);
        Assert.Equal([third.Id, weight.Id, eject.Id], recent.Select(d => d.Id));
        Assert.Equal("bob", recent[0].ClearedBy);
        Assert.Equal(T0.AddMinutes(1), recent[0].ClearedAt);
    }

    [Fact]
    public async Task Audit_NewestFirstWithLimit()
    {
        await using var store = await CreateStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.Audit.AppendAsync(new AuditEntry(0, T0.AddSeconds(i), "alice", $"action{i}", "target", "{}"), default);
        }

        var entries = await store.Audit.ListAsync(3, default);

        Assert.Equal(["action4", "action3", "action2"], entries.Select(e => e.Action));
        Assert.Equal(T0.AddSeconds(4), entries[0].At);
        Assert.True(entries[0].Id > entries[1].Id);
    }

    private static StoredResource Resource(string kind, string name, string spec) => new(kind, "shop", name, spec, 0);

    private static ConfigCommit Commit(long head, string author, StoredResource[] upserts, ResourceKey[] deletes) =>
        new(head, author, T0, "apply", upserts, deletes, $"diff-{head + 1}", $"snapshot-{head + 1}");

    private static EndpointLease Endpoint(string id, DateTimeOffset expires) =>
        new(id, "shop", "cart", "127.0.0.1", 8080, "v1", 100, "{\"zone\":\"z1\"}", "proxy-1", T0, expires);

    private static RoutingDecisionRecord Decision(string endpoint, string action, int? weight, DateTimeOffset? expires) =>
        new(0, "shop", "cart", endpoint, action, weight, "error rate 40%", "analytics", false, T0, expires, null, null);
}
