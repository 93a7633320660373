using System.Globalization;

namespace Mesh.Analytics.Health;

/// <summary>
/// Draws a <see cref="HealthReport"/> from a <see cref="HealthInput"/>: each signal (errors, latency against the
/// baseline, rejections, anomaly) gets a score in the band of the state it implies, and the verdict is the worst.
/// </summary>
public static class HealthScorer
{
    public static HealthReport Score(HealthInput input, HealthThresholds t)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(t);
        if (input.Requests <= 0)
        {
            return HealthReport.NoTraffic;
        }

        var reasons = new List<HealthReason>();
        var score = 100.0;

        var errorRate = (double)input.Errors / input.Requests;
        score = Math.Min(score, Banded(errorRate, t.DegradedErrorRate, t.FailingErrorRate, out var errorState));
        if (errorState != HealthState.Healthy)
        {
            var threshold = errorState == HealthState.Failing ? t.FailingErrorRate : t.DegradedErrorRate;
            reasons.Add(new HealthReason("error_rate", errorState, errorRate, threshold,
                Text($"{errorRate:P2} of requests failed ({input.Errors} of {input.Requests}); {State(errorState)} from {threshold:P1}")));
        }

        if (input.P95Nanos is { } p95 && input.BaselineP95Nanos is { } baseline && baseline > 0 && input.BaselineRequests >= t.MinBaselineRequests)
        {
            var ratio = p95 / baseline;
            if (ratio >= t.LatencyDegradedRatio)
            {
                score = Math.Min(score, 90 - Math.Min(40, 10 * (ratio - t.LatencyDegradedRatio)));
                reasons.Add(new HealthReason("latency", HealthState.Degraded, ratio, t.LatencyDegradedRatio,
                    Text($"p95 {p95 / 1e6:0.##} ms is {ratio:0.##}x the baseline {baseline / 1e6:0.##} ms (degraded from {t.LatencyDegradedRatio:0.##}x)")));
            }
            else if (ratio > 1)
            {
                score = Math.Min(score, 100 - (10 * (ratio - 1) / (t.LatencyDegradedRatio - 1)));
            }
        }

        if (input.Rejections > 0)
        {
            var rate = (double)input.Rejections / input.Requests;
            var state = rate > t.FailingRejectionRate ? HealthState.Failing : HealthState.Degraded;
            score = Math.Min(score, state == HealthState.Failing
                ? 50 - (50 * Math.Min(1, (rate - t.FailingRejectionRate) / (1 - t.FailingRejectionRate)))
                : 90 - (40 * rate / t.FailingRejectionRate));
            reasons.Add(new HealthReason("rejections", state, rate, state == HealthState.Failing ? t.FailingRejectionRate : 0,
                Text($"{input.Rejections} requests rejected by circuit breakers or rate limits ({rate:P2})")));
        }

        if (input.AnomalyScore is { } anomaly)
        {
            if (anomaly >= t.DegradedAnomalyScore)
            {
                score = Math.Min(score, 90 - (40 * Math.Min(1, (anomaly - t.DegradedAnomalyScore) / (1 - t.DegradedAnomalyScore))));
                reasons.Add(new HealthReason("anomaly", HealthState.Degraded, anomaly, t.DegradedAnomalyScore, Text($"anomaly score {anomaly:0.00}")));
            }
            else
            {
                score = Math.Min(score, 100 - (10 * anomaly / t.DegradedAnomalyScore));
            }
        }

        var worst = reasons.Count == 0 ? HealthState.Healthy : reasons.Max(r => r.State);
        return new HealthReport((int)Math.Floor(score), worst, reasons, input.AnomalyScore);
    }

    public static string State(HealthState state) => state switch
    {
        HealthState.NoTraffic => "no_traffic",
        HealthState.Healthy => "healthy",
        HealthState.Degraded => "degraded",
        _ => "failing",
    };

    /// <summary>Healthy (100 to 90) below <paramref name="degraded"/>, degraded (90 to 50) up to <paramref name="failing"/>, failing (50 to 0) above.</summary>
    private static double Banded(double rate, double degraded, double failing, out HealthState state)
    {
        if (rate < degraded)
        {
            state = HealthState.Healthy;
            return 100 - (10 * rate / degraded);
        }

        if (rate <= failing)
        {
            state = HealthState.Degraded;
            return failing == degraded ? 50 : 90 - (40 * (rate - degraded) / (failing - degraded));
        }

        state = HealthState.Failing;
        return 50 - (50 * Math.Min(1, (rate - failing) / (1 - failing)));
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
