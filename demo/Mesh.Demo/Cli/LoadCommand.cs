using System.CommandLine;
using System.Globalization;
using Mesh.Demo.Load;

namespace Mesh.Demo.Cli;

/// <summary><c>mesh-demo load --target URL --rps N [--period 10m] [--amplitude 0.6] [--concurrency 64] [--port P]</c>.</summary>
internal static class LoadCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = "The store's frontend (or ingress) URL", Required = true };
        var rps = new Option<double>("--rps") { Description = "Average journeys per second over a day (default 5)", DefaultValueFactory = _ => 5 };
        var period = new Option<string>("--period") { Description = "Length of one compressed day, e.g. 10m, 1h, 90s (default 10m)", DefaultValueFactory = _ => "10m" };
        var amplitude = new Option<double>("--amplitude") { Description = "Day swing: rate goes from rps·(1-a) at night to rps·(1+a) at noon (default 0.6; 0 = steady)", DefaultValueFactory = _ => 0.6 };
        var concurrency = new Option<int>("--concurrency") { Description = "Most journeys in flight (default 64)", DefaultValueFactory = _ => 64 };
        var host = new Option<string>("--host") { Description = "Host header to send (when the target routes by host)" };
        var port = new Option<int>("--port") { Description = "Port of /stats and /_demo/spike (default 0: an ephemeral port)", DefaultValueFactory = _ => 0 };
        var mix = new Option<string>("--mix") { Description = "Journey weights browse,login,addToCart,checkout (default 60,10,20,10)", DefaultValueFactory = _ => "60,10,20,10" };

        var command = new Command("load", "Generate shopper journeys against the store with a daily shape") { target, rps, period, amplitude, concurrency, host, port, mix };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            var targetUri = ServiceCommand.ParseUrl(parse.GetValue(target), "--target", errors);
            var rate = parse.GetValue(rps);
            if (rate is <= 0 or > 10_000)
            {
                errors.Add($"--rps: {rate.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most 10000");
            }

            var day = ParseDuration(parse.GetValue(period)!);
            if (day is null || day < TimeSpan.FromSeconds(10))
            {
                errors.Add($"--period: '{parse.GetValue(period)}' must be a duration of at least 10s, such as 90s, 10m or 1h");
            }

            var swing = parse.GetValue(amplitude);
            if (swing is < 0 or > 1)
            {
                errors.Add("--amplitude: must be from 0 to 1");
            }

            var slots = parse.GetValue(concurrency);
            if (slots is < 1 or > 10_000)
            {
                errors.Add("--concurrency: must be from 1 to 10000");
            }

            var adminPort = parse.GetValue(port);
            if (adminPort is < 0 or > 65535)
            {
                errors.Add($"--port: {adminPort} is not a TCP port");
            }

            var weights = ParseMix(parse.GetValue(mix)!);
            if (weights is null)
            {
                errors.Add("--mix: must be four non-negative weights browse,login,addToCart,checkout with a positive sum, e.g. 60,10,20,10");
            }

            if (await ServiceCommand.ReportAsync("load", errors).ConfigureAwait(false))
            {
                return 2;
            }

            var options = new LoadOptions
            {
                Target = targetUri!,
                Shape = new LoadShape(rate, day!.Value, swing),
                Mix = weights!,
                MaxConcurrency = slots,
                HostHeader = parse.GetValue(host),
                AdminPort = adminPort,
            };
            await using var app = LoadHost.Build(options);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"mesh-demo load: {rate} rps against {targetUri}; stats at {string.Join(", ", app.Urls)}/stats");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    internal static TimeSpan? ParseDuration(string text)
    {
        if (text.Length < 2)
        {
            return null;
        }

        var unit = text[^1];
        if (!double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => null,
        };
    }

    internal static JourneyMix? ParseMix(string text)
    {
        var parts = text.Split(',');
        var values = new double[4];
        if (parts.Length != 4)
        {
            return null;
        }

        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] < 0)
            {
                return null;
            }
        }

        var mix = new JourneyMix(values[0], values[1], values[2], values[3]);
        return mix.Total > 0 ? mix : null;
    }
}
