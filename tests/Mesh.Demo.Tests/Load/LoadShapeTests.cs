using Mesh.Demo.Load;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Demo.Tests.Load;

public sealed class LoadShapeTests
{
    private static readonly TimeSpan Day = TimeSpan.FromSeconds(100);

    [Theory]
    [InlineData(0.0, 1.0)]   // the run starts at 06:00
    [InlineData(0.25, 1.6)]  // noon, the busiest
    [InlineData(0.5, 1.0)]   // 18:00
    [InlineData(0.75, 0.4)]  // midnight, the quietest
    [InlineData(1.0, 1.0)]   // the next morning
    public void DayFactorAt_TimesOfDay_FollowTheCycle(double fractionOfPeriod, double expected)
    {
        var shape = new LoadShape(10, Day, Amplitude: 0.6);

        Assert.Equal(expected, shape.DayFactorAt(Day * fractionOfPeriod), precision: 9);
    }

    [Fact]
    public void RateAt_AveragedOverADay_IsTheConfiguredRps()
    {
        var shape = new LoadShape(12, Day, Amplitude: 0.8);
        const int steps = 10_000;

        var mean = Enumerable.Range(0, steps).Average(i => shape.RateAt(Day * ((i + 0.5) / steps)));

        Assert.Equal(12, mean, precision: 6);
    }

    [Fact]
    public void Take_OverAVirtualDay_StartsTheIntegralOfTheRate()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var shape = new LoadShape(10, Day, Amplitude: 0.6);
        var pacer = new LoadPacer(shape, new SpikeControl(time), time.GetUtcNow());
        var perQuarter = new int[4];

        for (var tick = 0; tick < Day / LoadOptions.Tick; tick++)
        {
            time.Advance(LoadOptions.Tick);
            perQuarter[(int)(tick * LoadOptions.Tick / (Day / 4))] += pacer.Take(time.GetUtcNow());
        }

        // ∫ rps·(1 − a·cos 2πφ) over each quarter of the day starting at φ = 1/4.
        var quarter = Day.TotalSeconds / 4;
        var swing = 10 * 0.6 * Day.TotalSeconds / (2 * Math.PI);
        Assert.Equal(1000, perQuarter.Sum(), tolerance: 1);
        Assert.Equal((10 * quarter) + swing, perQuarter[0], tolerance: 1.5);  // morning to noon: busier
        Assert.Equal((10 * quarter) + swing, perQuarter[1], tolerance: 1.5);  // afternoon
        Assert.Equal((10 * quarter) - swing, perQuarter[2], tolerance: 1.5);  // evening to midnight: quiet
        Assert.Equal((10 * quarter) - swing, perQuarter[3], tolerance: 1.5);  // night
        Assert.True(perQuarter[0] > 1.5 * perQuarter[2]);
    }

    [Fact]
    public void Take_DuringASpike_MultipliesThenReturnsToTheShape()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var spike = new SpikeControl(time);
        var pacer = new LoadPacer(new LoadShape(20, Day, Amplitude: 0), spike, time.GetUtcNow());

        int Run(TimeSpan span)
        {
            var n = 0;
            for (var t = TimeSpan.Zero; t < span; t += LoadOptions.Tick)
            {
                time.Advance(LoadOptions.Tick);
                n += pacer.Take(time.GetUtcNow());
            }

            return n;
        }

        var before = Run(TimeSpan.FromSeconds(10));
        spike.Start(5, TimeSpan.FromSeconds(10));
        Assert.Equal(100, pacer.RateAt(time.GetUtcNow()), precision: 9);
        var during = Run(TimeSpan.FromSeconds(10));
        Assert.Null(spike.Current);
        var after = Run(TimeSpan.FromSeconds(10));

        Assert.Equal(200, before, tolerance: 1);
        Assert.Equal(1000, during, tolerance: 2);
        Assert.Equal(200, after, tolerance: 2);
    }

    [Fact]
    public void Take_AfterAStall_CreditsAtMostOneSecond()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var pacer = new LoadPacer(new LoadShape(50, Day, Amplitude: 0), new SpikeControl(time), time.GetUtcNow());

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(50, pacer.Take(time.GetUtcNow()));
        Assert.Equal(0, pacer.Take(time.GetUtcNow()));
    }

    [Fact]
    public void Pick_ManySeededDraws_FollowTheMixWeights()
    {
        var random = new Random(42);
        var counts = Enum.GetValues<JourneyKind>().ToDictionary(k => k, _ => 0);
        const int n = 20_000;

        for (var i = 0; i < n; i++)
        {
            counts[JourneyMix.Default.Pick(random.NextDouble())]++;
        }

        // Each share within 5 standard deviations of its weight.
        foreach (var (kind, weight) in new[] { (JourneyKind.Browse, 0.6), (JourneyKind.Login, 0.1), (JourneyKind.AddToCart, 0.2), (JourneyKind.Checkout, 0.1) })
        {
            var sd = Math.Sqrt(n * weight * (1 - weight));
            Assert.InRange(counts[kind], (n * weight) - (5 * sd), (n * weight) + (5 * sd));
        }
    }

    [Theory]
    [InlineData(0.0, "Browse")]
    [InlineData(0.599, "Browse")]
    [InlineData(0.6, "Login")]
    [InlineData(0.7, "AddToCart")]
    [InlineData(0.9, "Checkout")]
    [InlineData(0.9999, "Checkout")]
    public void Pick_DrawBoundaries_MapToTheirJourney(double draw, string expected) =>
        Assert.Equal(Enum.Parse<JourneyKind>(expected), JourneyMix.Default.Pick(draw));

    [Fact]
    public void Spike_PastItsDuration_EndsOnVirtualTime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var spike = new SpikeControl(time);

        spike.Start(3, TimeSpan.FromSeconds(60));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(3, spike.MultiplierAt(time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, spike.MultiplierAt(time.GetUtcNow()));
        Assert.Null(spike.Current);
    }
}
