using System.CommandLine;
using Mesh.Bench.Ingest;
using Mesh.Bench.Query;

namespace Mesh.Bench;

/// <summary>Whole-system benchmarks of Mesh; see docs/benchmarks.md for how they are run and what they found.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Mesh benchmarks") { IngestCommand(), QueryCommand(), LoadCommand(), FillCommand(), StagesCommand(), Graph.GraphCommand.Create(), ProxyCostCommand(), TelemetryCostCommand() };
        return root.Parse(args).InvokeAsync();
    }

    private static Option<string> StoreOption() => new("--store")
    {
        Description = "sqlite or clickhouse",
        DefaultValueFactory = _ => "sqlite",
        Validators = { r => { if (r.GetValueOrDefault<string>() is not ("sqlite" or "clickhouse")) r.AddError("--store must be sqlite or clickhouse"); } },
    };

    private static Option<string?> MarkdownOption() => new("--markdown") { Description = "Also append the result block to this file" };

    private static Command IngestCommand()
    {
        var store = StoreOption();
        var seconds = new Option<int>("--seconds") { Description = "Measured load duration", DefaultValueFactory = _ => 60 };
        var clients = new Option<int>("--clients") { Description = "Concurrent OTLP/HTTP clients", DefaultValueFactory = _ => 8 };
        var spans = new Option<int>("--spans-per-request") { DefaultValueFactory = _ => 500 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured load before the measured one, in seconds", DefaultValueFactory = _ => 5 };
        var markdown = MarkdownOption();
        var command = new Command(
            "ingest",
            "Start a private clickhouse-server if needed and `mesh up`, load it over OTLP/HTTP, then time the vendor's bulk load of the same rows.")
        {
            store, seconds, clients, spans, warmup, markdown,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new IngestSettings(parse.GetValue(store)!, parse.GetValue(seconds), parse.GetValue(clients), parse.GetValue(spans), parse.GetValue(warmup));
            var result = await IngestBenchmark.RunAsync(settings, Console.Out, ct).ConfigureAwait(false);
            await PrintAsync(IngestReport.Markdown(result), parse.GetValue(markdown)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command ProxyCostCommand()
    {
        var seconds = new Option<int>("--seconds") { Description = "Measured wrk run per mode", DefaultValueFactory = _ => 10 };
        var connections = new Option<int>("--connections") { Description = "wrk connections", DefaultValueFactory = _ => 16 };
        var command = new Command("proxy-cost", "Host the proxy in-process with nginx as upstream and OTLP sink and wrk as load; print allocations and CPU per request.")
        {
            seconds, connections,
        };
        command.SetAction((parse, ct) => Proxy.ProxyCost.RunAsync(parse.GetValue(seconds), parse.GetValue(connections), Console.Out, ct));
        return command;
    }

    private static Command TelemetryCostCommand()
    {
        var records = new Option<int>("--records") { DefaultValueFactory = _ => 500_000 };
        var batch = new Option<int>("--batch") { Description = "Records per export batch", DefaultValueFactory = _ => 512 };
        var command = new Command("telemetry-cost", "Per-request telemetry cost in isolation: record hand-over and OTLP encoding, allocations and CPU per record.")
        {
            records, batch,
        };
        command.SetAction(async (parse, _) =>
        {
            await Proxy.TelemetryCost.RunAsync(parse.GetValue(records), parse.GetValue(batch), Console.Out).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command QueryCommand()
    {
        var store = StoreOption();
        var spans = new Option<long>("--spans") { Description = "Spans to fill the store with", DefaultValueFactory = _ => 10_000_000 };
        var batch = new Option<int>("--batch") { Description = "Spans per write", DefaultValueFactory = _ => 50_000 };
        var writers = new Option<int>("--writers") { Description = "Concurrent writers during the fill", DefaultValueFactory = _ => 2 };
        var iterations = new Option<int>("--iterations") { Description = "Timed calls of each query", DefaultValueFactory = _ => 300 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed calls of each query first", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var markdown = MarkdownOption();
        var command = new Command("query", "Fill a fresh store through its writer, then time trace-by-id and search-by-service.")
        {
            store, spans, batch, writers, iterations, warmup, seed, markdown,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new QuerySettings(
                parse.GetValue(store)!, parse.GetValue(spans), parse.GetValue(batch), parse.GetValue(writers), parse.GetValue(iterations), parse.GetValue(warmup), parse.GetValue(seed));
            var result = await QueryBenchmark.RunAsync(settings, Console.Out, ct).ConfigureAwait(false);
            await PrintAsync(QueryReport.Markdown(result), parse.GetValue(markdown)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command LoadCommand()
    {
        var otlp = new Option<string>("--otlp-url") { Description = "OTLP/HTTP base URL", DefaultValueFactory = _ => "http://127.0.0.1:4318" };
        var api = new Option<string>("--api-url") { Description = "Mesh API base URL (for /metrics)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var token = new Option<string>("--token") { Description = "Ingest token", Required = true };
        var clients = new Option<int>("--clients") { DefaultValueFactory = _ => 8 };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 60 };
        var spans = new Option<int>("--spans-per-request") { DefaultValueFactory = _ => 500 };
        var load = new Command("load", "Send OTLP/HTTP load to a running Mesh and report acknowledged and written spans/s.")
        {
            otlp, api, token, clients, seconds, spans,
        };
        load.SetAction(async (parse, ct) =>
        {
            var result = await IngestLoad.RunAsync(
                new Uri(parse.GetValue(otlp)!),
                new Uri(parse.GetValue(api)!),
                parse.GetValue(token)!,
                parse.GetValue(clients),
                TimeSpan.FromSeconds(parse.GetValue(seconds)),
                parse.GetValue(spans),
                Console.Out,
                ct).ConfigureAwait(false);
            Console.WriteLine(Report.Ingest(result));
            return 0;
        });
        return load;
    }

    private static Command FillCommand()
    {
        var storeKind = StoreOption();
        var path = new Option<string>("--path") { Description = "SQLite file or ClickHouse URL", Required = true };
        var count = new Option<long>("--spans") { DefaultValueFactory = _ => 200_000 };
        var writers = new Option<int>("--writers") { DefaultValueFactory = _ => 1 };
        var fill = new Command("fill", "Write realistic spans straight through a store writer into an existing store.") { storeKind, path, count, writers };
        fill.SetAction(async (parse, ct) =>
        {
            var store = Stores.Open(parse.GetValue(storeKind)!, parse.GetValue(path)!, "mesh_bench");
            await using (store.ConfigureAwait(false))
            {
                await store.InitializeAsync(ct).ConfigureAwait(false);
                var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
                // FillAsync reports the spans/s it reached.
                await StoreLoad.FillAsync(store, parse.GetValue(count), 50_000, parse.GetValue(writers), now - 3_600_000_000_000, 3_600_000_000_000, Console.Out, ct).ConfigureAwait(false);
            }

            return 0;
        });
        return fill;
    }

    private static Command StagesCommand()
    {
        var storeKind = StoreOption();
        var path = new Option<string>("--path") { Description = "SQLite file or ClickHouse URL", Required = true };
        var count = new Option<int>("--spans") { DefaultValueFactory = _ => 500_000 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 10_000 };
        var stages = new Command("stages", "Time the drain path's stages (parse, convert, store write) per span, one after the other.") { storeKind, path, count, batch };
        stages.SetAction(async (parse, ct) =>
        {
            var store = Stores.Open(parse.GetValue(storeKind)!, parse.GetValue(path)!, "mesh_bench");
            await using (store.ConfigureAwait(false))
            {
                await store.InitializeAsync(ct).ConfigureAwait(false);
                await Stages.StageCosts.RunAsync(store, parse.GetValue(count), parse.GetValue(batch), Console.Out, ct).ConfigureAwait(false);
            }

            return 0;
        });
        return stages;
    }

    private static async Task PrintAsync(string markdown, string? file)
    {
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (file is not null)
        {
            await File.AppendAllTextAsync(file, markdown + Environment.NewLine).ConfigureAwait(false);
        }
    }
}
