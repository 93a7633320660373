using System.Globalization;
using System.Text.Json;
using Mesh.Analytics.Health;

namespace Mesh.Web.Hosting;

/// <summary>
/// Settings of the application map, from <c>MESH_…</c> environment variables: how often rollups are flushed and
/// live subscribers pushed, and the health thresholds (a JSON file: default thresholds and per-service overrides).
/// </summary>
internal sealed record AnalyticsSettings
{
    public TimeSpan RollupFlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far back a live subscriber's map reaches: the web UI's live view ("the last five minutes", its first
    /// fetch) and the hub's pushes must draw the same window, or the map changes shape when the hub connects.
    /// </summary>
    public TimeSpan LiveWindow { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PairingWindow { get; init; } = TimeSpan.FromSeconds(15);

    public HealthOptions Health { get; init; } = new();

    public static AnalyticsSettings FromEnvironment(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var defaults = new AnalyticsSettings();
        return new AnalyticsSettings
        {
            RollupFlushInterval = Millis(env, "MESH_ROLLUP_FLUSH_MS", defaults.RollupFlushInterval),
            LiveInterval = Millis(env, "MESH_LIVE_INTERVAL_MS", defaults.LiveInterval),
            LiveWindow = Millis(env, "MESH_LIVE_WINDOW_MS", defaults.LiveWindow),
            PairingWindow = Millis(env, "MESH_PAIRING_WINDOW_MS", defaults.PairingWindow),
            Health = env("MESH_HEALTH_CONFIG") is { Length: > 0 } path ? LoadHealth(path) : defaults.Health,
        };
    }

    private static TimeSpan Millis(Func<string, string?> env, string name, TimeSpan fallback)
    {
        var raw = env(name);
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 10
            ? TimeSpan.FromMilliseconds(ms)
            : throw new SettingsException($"{name}: '{raw}' is not a whole number of milliseconds, at least 10");
    }

    /// <summary>
    /// <c>{"default": {"degradedErrorRate": 0.001, "failingErrorRate": 0.1, …}, "services": {"cart": {…}}}</c>,
    /// keys as in <see cref="HealthThresholds"/> (camelCase); omitted keys keep their defaults.
    /// </summary>
    private static HealthOptions LoadHealth(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var defaults = root.TryGetProperty("default", out var d) ? Thresholds(d, new HealthThresholds()) : new HealthThresholds();
            var services = new Dictionary<string, HealthThresholds>(StringComparer.Ordinal);
            if (root.TryGetProperty("services", out var s))
            {
                foreach (var service in s.EnumerateObject())
                {
                    services[service.Name] = Thresholds(service.Value, defaults);
                }
            }

            var options = new HealthOptions { Default = defaults, Services = services };
            options.Validate();
            return options;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new SettingsException($"MESH_HEALTH_CONFIG '{path}': {ex.Message}");
        }
    }

    private static HealthThresholds Thresholds(JsonElement e, HealthThresholds basis) => basis with
    {
        DegradedErrorRate = e.TryGetProperty("degradedErrorRate", out var a) ? a.GetDouble() : basis.DegradedErrorRate,
        FailingErrorRate = e.TryGetProperty("failingErrorRate", out var b) ? b.GetDouble() : basis.FailingErrorRate,
        LatencyDegradedRatio = e.TryGetProperty("latencyDegradedRatio", out var c) ? c.GetDouble() : basis.LatencyDegradedRatio,
        MinBaselineRequests = e.TryGetProperty("minBaselineRequests", out var d) ? d.GetInt64() : basis.MinBaselineRequests,
        FailingRejectionRate = e.TryGetProperty("failingRejectionRate", out var f) ? f.GetDouble() : basis.FailingRejectionRate,
        DegradedAnomalyScore = e.TryGetProperty("degradedAnomalyScore", out var g) ? g.GetDouble() : basis.DegradedAnomalyScore,
    };
}
