using System.Globalization;

namespace Mesh.Proxy.Config.Serialization;

/// <summary>Durations as people write them in config: <c>250ms</c>, <c>5s</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c>.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        (string suffix, double scaleMs)[] units = [("ms", 1), ("us", 0.001), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, scale) in units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(s.AsSpan(0, s.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                && n >= 0 && double.IsFinite(n))
            {
                value = TimeSpan.FromMilliseconds(n * scale);
                return true;
            }
        }

        return false;
    }

    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        }

        return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
    }
}
