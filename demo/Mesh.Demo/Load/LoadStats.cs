namespace Mesh.Demo.Load;

/// <summary>Counters per journey kind, and the snapshot <c>/stats</c> serves.</summary>
internal sealed class LoadStats
{
    private readonly Dictionary<JourneyKind, JourneyCounters> _byJourney =
        Enum.GetValues<JourneyKind>().ToDictionary(k => k, _ => new JourneyCounters());

    private long _inFlight;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public JourneyCounters For(JourneyKind kind) => _byJourney[kind];

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public object Snapshot(double currentRps, SpikeControl.Spike? spike) => new
    {
        currentRps = Math.Round(currentRps, 3),
        inFlight = InFlight,
        spike,
        journeys = _byJourney.ToDictionary(
            p => JsonName(p.Key),
            p => new { p.Value.Started, p.Value.Succeeded, p.Value.Failed, p.Value.Dropped, p.Value.Requests, p.Value.Errors }),
        totals = new
        {
            started = _byJourney.Values.Sum(c => c.Started),
            succeeded = _byJourney.Values.Sum(c => c.Succeeded),
            failed = _byJourney.Values.Sum(c => c.Failed),
            dropped = _byJourney.Values.Sum(c => c.Dropped),
            requests = _byJourney.Values.Sum(c => c.Requests),
            errors = _byJourney.Values.Sum(c => c.Errors),
        },
    };

    internal static string JsonName(JourneyKind kind) => kind switch
    {
        JourneyKind.Browse => "browse",
        JourneyKind.Login => "login",
        JourneyKind.AddToCart => "addToCart",
        _ => "checkout",
    };
}
