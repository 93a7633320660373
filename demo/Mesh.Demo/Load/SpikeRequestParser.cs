using System.Globalization;
using System.Text.Json;
using Mesh.Demo.Hosting;

namespace Mesh.Demo.Load;

/// <summary>Reads <c>POST /_demo/spike</c> (<c>{"multiplier":5,"seconds":60}</c>), naming the wrong field.</summary>
internal static class SpikeRequestParser
{
    private static readonly string[] Fields = ["multiplier", "seconds"];

    public static bool TryParse(JsonElement body, out double multiplier, out TimeSpan duration, out string error)
    {
        multiplier = 0;
        duration = TimeSpan.Zero;
        if (!JsonFields.TryCheckObject(body, Fields, "{\"multiplier\":5,\"seconds\":60}", out error))
        {
            return false;
        }

        if (!body.TryGetProperty("multiplier", out var m) || m.ValueKind != JsonValueKind.Number || !m.TryGetDouble(out multiplier)
            || multiplier <= 0 || multiplier > SpikeControl.MaxMultiplier)
        {
            error = $"multiplier: required, a number above 0 and at most {SpikeControl.MaxMultiplier.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        var maxSeconds = SpikeControl.MaxDuration.TotalSeconds;
        if (!body.TryGetProperty("seconds", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var seconds)
            || seconds < 1 || seconds > maxSeconds)
        {
            error = $"seconds: required, a number from 1 to {maxSeconds.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        error = string.Empty;
        return true;
    }
}
