using System.Globalization;
using Mesh.Core.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Mesh.Web.Api;

/// <summary>Typed access to query parameters; every failure names the parameter and what was expected.</summary>
internal static class ApiQuery
{
    public static string? Text(IQueryCollection query, string name)
    {
        var value = query[name].ToString();
        return value.Length == 0 ? null : value;
    }

    public static int Int(IQueryCollection query, string name, int fallback, int min, int max)
    {
        var raw = Text(query, name);
        if (raw is null)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ApiParameterException(name, $"'{raw}' is not a whole number between {min} and {max}");
        }

        return value;
    }

    /// <summary>A duration in milliseconds (fractions allowed), returned in nanoseconds.</summary>
    public static long? DurationMs(IQueryCollection query, string name)
    {
        var raw = Text(query, name);
        if (raw is null)
        {
            return null;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || ms < 0 || double.IsNaN(ms) || ms > 1e12)
        {
            throw new ApiParameterException(name, $"'{raw}' is not a non-negative number of milliseconds");
        }

        return (long)(ms * 1_000_000);
    }

    /// <summary>
    /// A point in time: RFC 3339 (<c>2026-11-22T10:00:00Z</c>) or Unix milliseconds. Returns Unix nanoseconds.
    /// </summary>
    public static long? Time(IQueryCollection query, string name)
    {
        var raw = Text(query, name);
        if (raw is null)
        {
            return null;
        }

        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            if (ms < 0 || ms > 9_000_000_000_000)
            {
                throw new ApiParameterException(name, $"'{raw}' is out of range for Unix milliseconds");
            }

            return ms * 1_000_000;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return (time - DateTimeOffset.UnixEpoch).Ticks * 100;
        }

        throw new ApiParameterException(name, $"'{raw}' is not a time: use RFC 3339 (2026-11-22T10:00:00Z) or Unix milliseconds");
    }

    /// <summary>The [start, end) window; defaults to the last hour before now.</summary>
    public static (long Start, long End) Window(IQueryCollection query, TimeProvider time, TimeSpan defaultSpan)
    {
        var end = Time(query, "end") ?? ((time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100) + 1;
        var start = Time(query, "start") ?? (end - (defaultSpan.Ticks * 100));
        if (start >= end)
        {
            throw new ApiParameterException("start", "must be before end");
        }

        return (start, end);
    }

    public static TraceId TraceId(string raw, string name) =>
        Core.Telemetry.TraceId.TryParse(raw, out var id) && !id.IsEmpty
            ? id
            : throw new ApiParameterException(name, $"'{Clip(raw)}' is not a trace id: expected 32 hex digits, not all zero");

    private static string Clip(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "…");
}
