using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.ControlPlane.Client.Contracts;
using Mesh.ControlPlane.Resources;
using Mesh.Core.Metadata;

namespace Mesh.ControlPlane.Config;

/// <summary>
/// Applies, deletes and rolls back resources like <c>kubectl apply</c>: the whole resulting set is validated
/// before anything is written, so an invalid change changes nothing; every real change is one revision.
/// </summary>
internal sealed class ConfigService(IMetadataStore store, ControlPlaneState state, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var head = await store.Config.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        var stored = await store.Config.ListResourcesAsync(cancellationToken).ConfigureAwait(false);
        state.SetConfig(ConfigSet.From(head, stored.Select(s => ResourceParser.FromStored(s.Spec))));
    }

    public async Task<ApplyResult> ApplyAsync(string documents, string author, bool dryRun, CancellationToken cancellationToken)
    {
        var incoming = ResourceParser.Parse(documents);
        var duplicates = incoming.GroupBy(r => r.Id).Where(g => g.Count() > 1).Select(g => new ResourceError(g.Key, "", "appears more than once in the input")).ToList();
        if (duplicates.Count > 0)
        {
            throw new ResourceValidationException(duplicates);
        }

        return await ChangeAsync(current => current.With(incoming), incoming.Select(r => r.Id).ToHashSet(), author, "apply", dryRun, cancellationToken).ConfigureAwait(false);
    }

    public Task<ApplyResult> DeleteAsync(string kind, string ns, string name, string author, CancellationToken cancellationToken)
    {
        var id = $"{kind}/{ns}/{name}";
        return ChangeAsync(
            current => current.Resources.ContainsKey(id) ? current.Without(id) : throw new KeyNotFoundException($"{id} does not exist"),
            new HashSet<string>(StringComparer.Ordinal) { id },
            author,
            $"delete {id}",
            dryRun: false,
            cancellationToken);
    }

    public async Task<ApplyResult> RollbackAsync(long revision, string author, CancellationToken cancellationToken)
    {
        var target = await store.Config.GetRevisionAsync(revision, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"revision {revision} does not exist");
        var resources = JsonNode.Parse(target.Snapshot!)!.AsArray().Select(d => ResourceParser.FromStored(d!.ToJsonString())).ToList();
        return await ChangeAsync(_ => ConfigSet.From(0, resources), null, author, $"rollback to revision {revision}", dryRun: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApplyResult> ChangeAsync(Func<ConfigSet, ConfigSet> change, IReadOnlySet<string>? touched, string author, string message, bool dryRun, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = state.Current.Config;
            var next = change(current);
            var errors = ConfigValidator.Validate(next);
            if (errors.Count > 0)
            {
                throw new ResourceValidationException(errors);
            }

            var diff = Diff(current, next, touched);
            var changes = diff.Select(d => new ResourceChange(d.Before?.Kind ?? d.After!.Kind, d.Before?.Namespace ?? d.After!.Namespace, d.Before?.Name ?? d.After!.Name, d.Action)).ToList();
            if (dryRun || diff.All(d => d.Action == "unchanged"))
            {
                return new ApplyResult(current.Revision, dryRun, changes);
            }

            var moved = diff.Where(d => d.Action != "unchanged").ToList();
            var diffJson = new JsonArray([.. moved.Select(d => (JsonNode)new JsonObject
            {
                ["resource"] = (d.Before ?? d.After)!.Id,
                ["action"] = d.Action,
                ["before"] = d.Before?.Document.DeepClone(),
                ["after"] = d.After?.Document.DeepClone(),
            })]).ToJsonString();
            var snapshot = new JsonArray([.. next.Resources.Values.Select(r => (JsonNode)r.Document.DeepClone())]).ToJsonString();
            var commit = new ConfigCommit(
                current.Revision,
                author,
                time.GetUtcNow(),
                message,
                [.. moved.Where(d => d.After is not null).Select(d => new StoredResource(d.After!.Kind, d.After.Namespace, d.After.Name, d.After.Document.ToJsonString(), 0))],
                [.. moved.Where(d => d.After is null).Select(d => new ResourceKey(d.Before!.Kind, d.Before.Namespace, d.Before.Name))],
                diffJson,
                snapshot);
            var revision = await store.Config.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
            await store.Audit.AppendAsync(
                new AuditEntry(0, commit.At, author, "config." + message.Split(' ')[0], $"revision {revision.Number}", JsonSerializer.Serialize(changes.Where(c => c.Action != "unchanged"), ControlPlane.Client.ControlPlaneJson.Options)),
                cancellationToken).ConfigureAwait(false);
            state.SetConfig(next.AtRevision(revision.Number));
            return new ApplyResult(revision.Number, false, changes);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static List<(string Action, Resource? Before, Resource? After)> Diff(ConfigSet current, ConfigSet next, IReadOnlySet<string>? touched)
    {
        var result = new List<(string, Resource?, Resource?)>();
        foreach (var id in current.Resources.Keys.Union(next.Resources.Keys).Order(StringComparer.Ordinal))
        {
            var before = current.Resources.GetValueOrDefault(id);
            var after = next.Resources.GetValueOrDefault(id);
            var action = (before, after) switch
            {
                (null, _) => "created",
                (_, null) => "deleted",
                _ when JsonNode.DeepEquals(before.Document, after.Document) => "unchanged",
                _ => "updated",
            };
            if (action != "unchanged" || touched is null || touched.Contains(id))
            {
                if (action != "unchanged" || touched?.Contains(id) == true)
                {
                    result.Add((action, before, after));
                }
            }
        }

        return result;
    }
}
