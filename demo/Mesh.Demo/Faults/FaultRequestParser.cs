using System.Globalization;
using System.Text.Json;
using Mesh.Demo.Hosting;

namespace Mesh.Demo.Faults;

/// <summary>
/// Reads a <c>POST /_demo/faults</c> body into a <see cref="FaultRule"/>, or says which field is wrong and why.
/// Parsed by hand rather than bound, so a wrong type or an unknown field is reported by name.
/// </summary>
internal static class FaultRequestParser
{
    public const int MaxLatencyMs = 60_000;

    private static readonly string[] Fields = ["endpoint", "method", "latencyMs", "errorRate", "errorStatus", "until", "durationSeconds"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

    /// <param name="body">The request body.</param>
    /// <param name="now">Current time, for <c>until</c> and <c>durationSeconds</c>.</param>
    /// <param name="routes">The route templates this service serves; the endpoint must match one.</param>
    /// <param name="error">When false is returned: the message, starting with the field's name.</param>
    public static bool TryParse(JsonElement body, DateTimeOffset now, IReadOnlyCollection<string> routes, out FaultRule rule, out string error)
    {
        rule = null!;
        if (!JsonFields.TryCheckObject(body, Fields, "{\"endpoint\":\"/products\",\"errorRate\":0.5}", out error))
        {
            return false;
        }

        if (!body.TryGetProperty("endpoint", out var endpointJson) || endpointJson.ValueKind != JsonValueKind.String
            || endpointJson.GetString() is not { Length: > 0 } endpoint)
        {
            error = "endpoint: required, a path or route template such as \"/products/{sku}\"";
            return false;
        }

        if (!endpoint.StartsWith('/') || endpoint.StartsWith("/_demo", StringComparison.OrdinalIgnoreCase))
        {
            error = $"endpoint: '{endpoint}' must start with '/' and name a service endpoint (not /_demo)";
            return false;
        }

        if (!routes.Any(r => RoutePath.Matches(r, endpoint)))
        {
            error = $"endpoint: '{endpoint}' matches no route of this service (routes: {string.Join(", ", routes)})";
            return false;
        }

        string? method = null;
        if (body.TryGetProperty("method", out var methodJson) && methodJson.ValueKind != JsonValueKind.Null)
        {
            method = methodJson.ValueKind == JsonValueKind.String ? methodJson.GetString()!.ToUpperInvariant() : null;
            if (method is null || !Methods.Contains(method, StringComparer.Ordinal))
            {
                error = $"method: must be one of {string.Join(", ", Methods)}";
                return false;
            }
        }

        if (!TryNumber(body, "latencyMs", 0, MaxLatencyMs, 0, out var latency, out error)
            || !TryNumber(body, "errorRate", 0, 1, 0, out var errorRate, out error)
            || !TryNumber(body, "errorStatus", 400, 599, 503, out var errorStatus, out error)
            || !TryNumber(body, "durationSeconds", 1, 86_400, 0, out var duration, out error))
        {
            return false;
        }

        if (latency != Math.Floor(latency) || errorStatus != Math.Floor(errorStatus))
        {
            error = latency != Math.Floor(latency) ? "latencyMs: must be a whole number" : "errorStatus: must be a whole number";
            return false;
        }

        if (latency == 0 && errorRate == 0)
        {
            error = "latencyMs, errorRate: a fault needs latencyMs > 0 or errorRate > 0";
            return false;
        }

        DateTimeOffset? until = duration > 0 ? now.AddSeconds(duration) : null;
        if (body.TryGetProperty("until", out var untilJson) && untilJson.ValueKind != JsonValueKind.Null)
        {
            if (duration > 0)
            {
                error = "until: give either until or durationSeconds, not both";
                return false;
            }

            if (untilJson.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(untilJson.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                error = "until: must be an ISO-8601 timestamp such as \"2030-01-01T12:00:00Z\"";
                return false;
            }

            if (at <= now)
            {
                error = $"until: {at:O} is not in the future";
                return false;
            }

            until = at;
        }

        rule = new FaultRule
        {
            Endpoint = endpoint,
            Method = method,
            LatencyMs = (int)latency,
            ErrorRate = errorRate,
            ErrorStatus = (int)errorStatus,
            Until = until,
        };
        error = string.Empty;
        return true;
    }

    private static bool TryNumber(JsonElement body, string name, double min, double max, double fallback, out double value, out string error)
    {
        value = fallback;
        error = string.Empty;
        if (!body.TryGetProperty(name, out var json) || json.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (json.ValueKind != JsonValueKind.Number || !json.TryGetDouble(out value) || value < min || value > max)
        {
            error = $"{name}: must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        return true;
    }
}
