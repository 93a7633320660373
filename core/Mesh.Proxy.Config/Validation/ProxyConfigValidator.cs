using System.Globalization;
using System.Text.RegularExpressions;

namespace Mesh.Proxy.Config.Validation;

/// <summary>
/// Semantic checks on a snapshot, all collected (not just the first) so one edit fixes a file. Every error
/// names the field path, e.g. <c>routes[2].split: weights sum to 90, expected 100</c>.
/// </summary>
public static partial class ProxyConfigValidator
{
    public static IReadOnlyList<ConfigError> Validate(ProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        void Add(string path, string message) => errors.Add(new ConfigError(path, message));

        if (string.IsNullOrWhiteSpace(config.Service?.Name))
        {
            Add("service.name", "is required");
        }

        ValidateListeners(config, Add);
        var clusters = ValidateClusters(config, Add);
        ValidateRoutes(config, clusters, Add);
        ValidateTelemetry(config.Telemetry, Add);
        ValidateSecurity(config, Add);
        return errors;
    }

    private static void ValidateListeners(ProxyConfig config, Action<string, string> add)
    {
        if (config.Listeners.Count == 0)
        {
            add("listeners", "at least one listener is required");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var ports = new HashSet<int>();
        for (var i = 0; i < config.Listeners.Count; i++)
        {
            var l = config.Listeners[i];
            var p = $"listeners[{i}]";
            if (string.IsNullOrWhiteSpace(l.Name))
            {
                add($"{p}.name", "is required");
            }
            else if (!names.Add(l.Name))
            {
                add($"{p}.name", $"'{l.Name}' is used by another listener");
            }

            Port(l.Port, $"{p}.port", add);
            if (l.Port is > 0 and < 65536 && !ports.Add(l.Port))
            {
                add($"{p}.port", $"{l.Port} is used by another listener");
            }

            if (!System.Net.IPAddress.TryParse(l.Address, out _))
            {
                add($"{p}.address", $"'{l.Address}' is not an IP address");
            }

            Defined(l.Mode, $"{p}.mode", add);
            Defined(l.Protocol, $"{p}.protocol", add);
            if (l.MaxRequestHeadersBytes < 1024)
            {
                add($"{p}.maxRequestHeadersBytes", $"{l.MaxRequestHeadersBytes} is too small (at least 1024)");
            }

            if (l.Tls is { } tls && (tls.CertificateFile is null || tls.KeyFile is null))
            {
                add($"{p}.tls", "a listener needs both certificateFile and keyFile");
            }
        }

        if (config.Admin is { } admin)
        {
            Port(admin.Port, "admin.port", add);
            if (ports.Contains(admin.Port))
            {
                add("admin.port", $"{admin.Port} is also a listener port");
            }

            if (!System.Net.IPAddress.TryParse(admin.Address, out _))
            {
                add("admin.address", $"'{admin.Address}' is not an IP address");
            }
        }
    }

    private static Dictionary<string, ClusterConfig> ValidateClusters(ProxyConfig config, Action<string, string> add)
    {
        var byName = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        for (var i = 0; i < config.Clusters.Count; i++)
        {
            var c = config.Clusters[i];
            var p = $"clusters[{i}]";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                add($"{p}.name", "is required");
            }
            else if (!byName.TryAdd(c.Name, c))
            {
                add($"{p}.name", $"'{c.Name}' is used by another cluster");
            }

            if (c.Endpoints.Count == 0)
            {
                add($"{p}.endpoints", "at least one endpoint is required");
            }

            for (var e = 0; e < c.Endpoints.Count; e++)
            {
                var ep = c.Endpoints[e];
                if (string.IsNullOrWhiteSpace(ep.Address))
                {
                    add($"{p}.endpoints[{e}].address", "is required");
                }

                Port(ep.Port, $"{p}.endpoints[{e}].port", add);
                if (ep.Weight is < 1 or > 1000)
                {
                    add($"{p}.endpoints[{e}].weight", $"{ep.Weight} is outside 1-1000");
                }
            }

            Defined(c.LoadBalancer, $"{p}.loadBalancer", add);
            Defined(c.Protocol, $"{p}.protocol", add);
            Positive(c.ConnectTimeout, $"{p}.connectTimeout", add);
            Positive(c.IdleTimeout, $"{p}.idleTimeout", add);
            if (c.CircuitBreaker.MaxConcurrent < 1)
            {
                add($"{p}.circuitBreaker.maxConcurrent", $"{c.CircuitBreaker.MaxConcurrent} must be at least 1");
            }

            if (c.CircuitBreaker.MaxPending < 0)
            {
                add($"{p}.circuitBreaker.maxPending", $"{c.CircuitBreaker.MaxPending} must not be negative");
            }

            if (c.OutlierDetection is { } od)
            {
                ValidateOutlier(od, $"{p}.outlierDetection", add);
            }

            if (c.HealthCheck is { } hc)
            {
                if (!hc.Path.StartsWith('/'))
                {
                    add($"{p}.healthCheck.path", $"'{hc.Path}' must start with /");
                }

                Positive(hc.Interval, $"{p}.healthCheck.interval", add);
                Positive(hc.Timeout, $"{p}.healthCheck.timeout", add);
                AtLeastOne(hc.HealthyThreshold, $"{p}.healthCheck.healthyThreshold", add);
                AtLeastOne(hc.UnhealthyThreshold, $"{p}.healthCheck.unhealthyThreshold", add);
            }
        }

        return byName;
    }

    private static void ValidateOutlier(OutlierDetectionConfig od, string p, Action<string, string> add)
    {
        Positive(od.Interval, $"{p}.interval", add);
        Positive(od.BaseEjectionTime, $"{p}.baseEjectionTime", add);
        if (od.MaxEjectionTime < od.BaseEjectionTime)
        {
            add($"{p}.maxEjectionTime", $"{Durations(od.MaxEjectionTime)} is shorter than baseEjectionTime {Durations(od.BaseEjectionTime)}");
        }

        Percent(od.MaxEjectedPercent, $"{p}.maxEjectedPercent", add);
        if (od.Consecutive5xx < 0)
        {
            add($"{p}.consecutive5xx", "must not be negative");
        }

        if (od.ConsecutiveGatewayFailures < 0)
        {
            add($"{p}.consecutiveGatewayFailures", "must not be negative");
        }

        if (od.SuccessRate is { } sr)
        {
            AtLeastOne(sr.MinRequests, $"{p}.successRate.minRequests", add);
            if (sr.MinEndpoints < 2)
            {
                add($"{p}.successRate.minEndpoints", $"{sr.MinEndpoints} must be at least 2 (an outlier needs siblings)");
            }

            if (sr.StdevFactor <= 0)
            {
                add($"{p}.successRate.stdevFactor", "must be positive");
            }
        }

        if (od.Latency is { } lat)
        {
            AtLeastOne(lat.MinRequests, $"{p}.latency.minRequests", add);
            if (lat.MinEndpoints < 2)
            {
                add($"{p}.latency.minEndpoints", $"{lat.MinEndpoints} must be at least 2 (an outlier needs siblings)");
            }

            if (lat.Factor <= 1)
            {
                add($"{p}.latency.factor", $"{lat.Factor} must be above 1");
            }

            if (lat.Percentile is < 50 or > 99.9)
            {
                add($"{p}.latency.percentile", $"{lat.Percentile} is outside 50-99.9");
            }
        }
    }

    private static void ValidateTelemetry(TelemetryConfig t, Action<string, string> add)
    {
        if (t.OtlpEndpoint is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            add("telemetry.otlpEndpoint", $"'{url}' is not an http(s) URL");
        }

        if (t.Sampling is < 0 or > 1 || double.IsNaN(t.Sampling))
        {
            add("telemetry.sampling", $"{t.Sampling.ToString(CultureInfo.InvariantCulture)} is outside 0-1");
        }

        AtLeastOne(t.BatchSize, "telemetry.batchSize", add);
        if (t.QueueCapacity < t.BatchSize)
        {
            add("telemetry.queueCapacity", $"{t.QueueCapacity} is smaller than batchSize {t.BatchSize}");
        }

        Positive(t.ExportInterval, "telemetry.exportInterval", add);
    }

    private static void Port(int port, string path, Action<string, string> add)
    {
        if (port is < 1 or > 65535)
        {
            add(path, $"{port} is not a TCP port (1-65535)");
        }
    }

    private static void Positive(TimeSpan value, string path, Action<string, string> add)
    {
        if (value <= TimeSpan.Zero)
        {
            add(path, "must be a positive duration");
        }
    }

    private static void AtLeastOne(int value, string path, Action<string, string> add)
    {
        if (value < 1)
        {
            add(path, $"{value} must be at least 1");
        }
    }

    private static void Percent(double value, string path, Action<string, string> add)
    {
        if (value is < 0 or > 100 || double.IsNaN(value))
        {
            add(path, $"{value.ToString(CultureInfo.InvariantCulture)} is outside 0-100");
        }
    }

    private static void Defined<T>(T value, string path, Action<string, string> add)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            add(path, $"{value} is not a known value");
        }
    }

    private static string Durations(TimeSpan t) => Serialization.Durations.Format(t);

    private static void Regex(string? pattern, string path, Action<string, string> add)
    {
        if (pattern is null)
        {
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException ex)
        {
            add(path, $"not a valid regular expression: {ex.Message}");
        }
    }
}
