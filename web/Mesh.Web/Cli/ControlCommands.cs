using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mesh.ControlPlane.Client;

namespace Mesh.Web.Cli;

/// <summary>
/// <c>mesh apply|get|describe|rollback</c>: the control plane from the command line, reaching a running Mesh through
/// <c>--server</c>/<c>--token</c> (or <c>MESH_SERVER</c>/<c>MESH_TOKEN</c>). Errors print the server's message and exit 1.
/// </summary>
internal static class ControlCommands
{
    private static readonly Option<string> Server = new("--server") { Description = "Mesh API URL (default http://127.0.0.1:8080). Env: MESH_SERVER", Recursive = true };
    private static readonly Option<string> Token = new("--token") { Description = "API bearer token. Env: MESH_TOKEN", Recursive = true };

    public static IEnumerable<Command> Create()
    {
        var file = new Option<string>("--filename", "-f") { Description = "YAML or JSON file of resources ('-' reads stdin)", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and show what would change, change nothing" };
        var apply = new Command("apply", "Create or update resources from a file, like kubectl apply.") { file, dryRun, Server, Token };
        apply.SetAction((parse, ct) => RunAsync(parse, async client =>
        {
            var path = parse.GetValue(file)!;
            var text = path == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            var result = await client.ApplyAsync(text, parse.GetValue(dryRun), ct).ConfigureAwait(false);
            foreach (var c in result.Changes)
            {
                Console.WriteLine($"{c.Kind}/{c.Namespace}/{c.Name} {c.Action}");
            }

            Console.WriteLine(result.DryRun ? $"dry run: nothing changed (revision {result.Revision})" : $"revision {result.Revision}");
        }));

        var what = new Argument<string>("what") { Description = "services, routes, policies, namespaces, endpoints, decisions, revisions or proxies" };
        var all = new Option<bool>("--all") { Description = "decisions: include cleared and expired ones" };
        var get = new Command("get", "List resources or state.") { what, all, Server, Token };
        get.SetAction((parse, ct) => RunAsync(parse, client => GetAsync(client, parse.GetValue(what)!, parse.GetValue(all), ct)));

        var kind = new Argument<string>("kind") { Description = "service" };
        var name = new Argument<string>("name");
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace (default 'default')" };
        var describe = new Command("describe", "Show a service with its routes, policies, endpoints and decisions.") { kind, name, ns, Server, Token };
        describe.SetAction((parse, ct) => RunAsync(parse, async client =>
        {
            if (parse.GetValue(kind) is not ("service" or "services" or "svc"))
            {
                throw new MeshApiException($"describe supports 'service', not '{parse.GetValue(kind)}'");
            }

            var view = await client.DescribeServiceAsync(parse.GetValue(ns) ?? "default", parse.GetValue(name)!, ct).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(view, Indented));
        }));

        var revision = new Argument<long>("revision") { Description = "The revision to restore (see 'mesh get revisions')" };
        var rollback = new Command("rollback", "Restore the resources of an earlier revision, as a new revision.") { revision, Server, Token };
        rollback.SetAction((parse, ct) => RunAsync(parse, async client =>
        {
            var result = await client.RollbackAsync(parse.GetValue(revision), ct).ConfigureAwait(false);
            foreach (var c in result.Changes)
            {
                Console.WriteLine($"{c.Kind}/{c.Namespace}/{c.Name} {c.Action}");
            }

            Console.WriteLine($"revision {result.Revision}");
        }));

        return [apply, get, describe, rollback];
    }

    private static readonly JsonSerializerOptions Indented = new(ControlPlaneJson.Options) { WriteIndented = true };

    private static async Task GetAsync(MeshControlPlaneClient client, string what, bool all, CancellationToken ct)
    {
        switch (what.ToLowerInvariant())
        {
            case "endpoints" or "endpoint" or "ep":
                Table(["NAMESPACE", "SERVICE", "ADDRESS", "VERSION", "WEIGHT", "EJECTED", "SOURCE", "ID"],
                    (await client.EndpointsAsync(ct).ConfigureAwait(false)).Select(e => new[]
                    {
                        e.Namespace, e.Service, $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}", e.Version ?? "-",
                        e.EffectiveWeight == e.Weight ? Num(e.Weight) : $"{Num(e.EffectiveWeight)} (of {Num(e.Weight)})", e.Ejected ? "yes" : "no", e.Source, e.Id,
                    }));
                break;
            case "decisions" or "decision":
                Table(["ID", "SERVICE", "ENDPOINT", "ACTION", "SOURCE", "PINNED", "EXPIRES", "ACTIVE", "REASON"],
                    (await client.DecisionsAsync(all, ct).ConfigureAwait(false)).Select(d => new[]
                    {
                        Num(d.Id), $"{d.Namespace}/{d.Service}", d.EndpointId, d.Action == "weight" ? $"weight {Num(d.Weight ?? 0)}" : d.Action, d.Source,
                        d.Pinned ? "yes" : "no", d.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never", d.Active ? "yes" : "no", d.Reason,
                    }));
                break;
            case "revisions" or "revision":
                Table(["REVISION", "AUTHOR", "TIME", "MESSAGE"],
                    (await client.RevisionsAsync(ct).ConfigureAwait(false)).Select(r => new[] { Num(r.Number), r.Author, r.At.ToString("u", CultureInfo.InvariantCulture), r.Message }));
                break;
            case "proxies" or "proxy":
                Table(["PROXY", "SERVICE", "CONNECTED", "SENT", "ACKED", "NACKED", "ERROR"],
                    (await client.ProxiesAsync(ct).ConfigureAwait(false)).Select(p => new[]
                    {
                        p.Id, $"{p.Namespace}/{p.Service}", p.Connected ? "yes" : "no", Num(p.SentVersion), Num(p.AckedVersion), Num(p.NackedVersion), p.NackError ?? "",
                    }));
                break;
            default:
                Table(["KIND", "NAMESPACE", "NAME", "SPEC"],
                    (await client.ListAsync(what, ct).ConfigureAwait(false)).Select(r => new[] { r.Kind, r.Namespace, r.Name, r.Spec.GetRawText() }));
                break;
        }
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static void Table(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<MeshControlPlaneClient, Task> action)
    {
        var server = parse.GetValue(Server) ?? Environment.GetEnvironmentVariable("MESH_SERVER") ?? "http://127.0.0.1:8080";
        var token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable("MESH_TOKEN");
        if (string.IsNullOrEmpty(token))
        {
            await Console.Error.WriteLineAsync("mesh: no API token: pass --token or set MESH_TOKEN (the first admin token is in the data dir's tokens.json)").ConfigureAwait(false);
            return 2;
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"mesh: --server / MESH_SERVER: '{server}' is not an http(s) URL").ConfigureAwait(false);
            return 2;
        }

        using var client = new MeshControlPlaneClient(url, token);
        try
        {
            await action(client).ConfigureAwait(false);
            return 0;
        }
        catch (MeshApiException ex)
        {
            await Console.Error.WriteLineAsync($"mesh: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"mesh: cannot reach {url}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"mesh: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
