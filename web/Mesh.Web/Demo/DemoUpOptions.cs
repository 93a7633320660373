using System.CommandLine;
using System.Globalization;

namespace Mesh.Web.Demo;

/// <summary>
/// The <c>--demo…</c> flags of <c>mesh up</c> (kept here so <c>UpCommand</c> only adds and resolves them):
/// <c>--demo</c>, <c>--demo-base-port</c>, <c>--demo-sidecars static|control-plane</c>, <c>--demo-rps</c>.
/// Each has a <c>MESH_DEMO…</c> environment twin; flags win.
/// </summary>
internal static class DemoUpOptions
{
    private static readonly Option<bool> Demo = new("--demo") { Description = "Also run the demo web store behind mesh proxies, with load. Env: MESH_DEMO=1" };
    private static readonly Option<int?> BasePort = new("--demo-base-port") { Description = "First of the 60 ports the demo uses (default 15000). Env: MESH_DEMO_BASE_PORT" };
    private static readonly Option<string> Sidecars = new("--demo-sidecars") { Description = "control-plane (mTLS sidecars fed by the control plane, default) or static (generated proxy files, no mTLS). Env: MESH_DEMO_SIDECARS" };
    private static readonly Option<double?> Rps = new("--demo-rps") { Description = "Mean user journeys per second of the demo load (default 5). Env: MESH_DEMO_RPS" };

    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Demo);
        command.Options.Add(BasePort);
        command.Options.Add(Sidecars);
        command.Options.Add(Rps);
    }

    /// <summary>Resolves the flags (over <paramref name="env"/>); throws <see cref="Hosting.SettingsException"/> naming the bad one.</summary>
    public static DemoSettings Resolve(ParseResult parse, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(env);
        var defaults = new DemoSettings();
        var enabled = parse.GetValue(Demo) || env("MESH_DEMO") is "1" or "true";

        var basePort = parse.GetValue(BasePort) ?? ParseInt(env("MESH_DEMO_BASE_PORT"), "--demo-base-port / MESH_DEMO_BASE_PORT") ?? defaults.BasePort;
        if (basePort < 1024 || basePort > 65535 - DemoPorts.Span)
        {
            throw new Hosting.SettingsException($"--demo-base-port: {basePort} must be from 1024 to {65535 - DemoPorts.Span} (the demo uses {DemoPorts.Span} ports from it)");
        }

        var sidecars = (parse.GetValue(Sidecars) ?? env("MESH_DEMO_SIDECARS") ?? "control-plane").ToLowerInvariant() switch
        {
            "static" => DemoSidecarMode.Static,
            "control-plane" => DemoSidecarMode.ControlPlane,
            var other => throw new Hosting.SettingsException($"--demo-sidecars: '{other}' is not a sidecar mode; use static or control-plane"),
        };

        var rps = parse.GetValue(Rps) ?? ParseDouble(env("MESH_DEMO_RPS")) ?? defaults.Rps;
        if (!(rps > 0 && rps <= 1000))
        {
            throw new Hosting.SettingsException($"--demo-rps: {rps.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most 1000");
        }

        return new DemoSettings { Enabled = enabled, BasePort = basePort, Sidecars = sidecars, Rps = rps };
    }

    private static int? ParseInt(string? raw, string name) =>
        raw is null ? null
        : int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new Hosting.SettingsException($"{name}: '{raw}' is not a whole number");

    private static double? ParseDouble(string? raw) =>
        raw is null ? null
        : double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new Hosting.SettingsException($"MESH_DEMO_RPS: '{raw}' is not a number");
}
