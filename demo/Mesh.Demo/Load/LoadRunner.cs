namespace Mesh.Demo.Load;

/// <summary>
/// The open-loop generator: every tick, the pacer says how many journeys are due and each starts at once,
/// unless <see cref="LoadOptions.MaxConcurrency"/> are already in flight (then it is dropped and counted, so a
/// slow mesh shows up as drops instead of a generator that quietly slows down with it).
/// Time and randomness are injected: on a fake clock the same seed starts the same journeys.
/// </summary>
internal sealed class LoadRunner(LoadOptions options, StoreJourneys journeys, LoadStats stats, SpikeControl spike, TimeProvider time, Random random) : IDisposable
{
    private static readonly TimeSpan OpeningRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OpeningFor = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _slots = new(options.MaxConcurrency, options.MaxConcurrency);
    private LoadPacer? _pacer;

    public void Dispose() => _slots.Dispose();

    public double CurrentRps => _pacer?.RateAt(time.GetUtcNow()) ?? 0;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _pacer = new LoadPacer(options.Shape, spike, time.GetUtcNow());
        var inFlight = new HashSet<Task>();

        // The run opens with a checkout ahead of the pacer: it crosses every service at once, so a fresh demo shows its
        // whole map (and warms every hop) within seconds instead of waiting for the mix to draw one. While the store is
        // still starting the opening fails fast; it is tried again every OpeningRetry until one succeeds (for OpeningFor).
        var started = time.GetUtcNow();
        Task<bool>? opening = null;
        var nextOpening = started;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(LoadOptions.Tick, time, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var open = opening is not { IsCompletedSuccessfully: true, Result: true } && opening?.IsCompleted != false
                    && now >= nextOpening && now - started < OpeningFor;
                if (open)
                {
                    nextOpening = now + OpeningRetry;
                }

                for (var due = Math.Max(_pacer.Take(now), open ? 1 : 0); due > 0; due--)
                {
                    var kind = open ? JourneyKind.Checkout : options.Mix.Pick(random.NextDouble());
                    if (!_slots.Wait(0, CancellationToken.None))
                    {
                        stats.For(kind).OnDropped();
                        continue;
                    }

                    var task = RunOneAsync(kind, new Random(random.Next()), cancellationToken);
                    if (open)
                    {
                        opening = task;
                        open = false;
                    }

                    lock (inFlight)
                    {
                        inFlight.Add(task);
                    }

                    _ = task.ContinueWith(
                        t =>
                        {
                            lock (inFlight)
                            {
                                inFlight.Remove(t);
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        Task[] remaining;
        lock (inFlight)
        {
            remaining = [.. inFlight];
        }

        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private async Task<bool> RunOneAsync(JourneyKind kind, Random journeyRandom, CancellationToken cancellationToken)
    {
        var counters = stats.For(kind);
        counters.OnStarted();
        stats.Enter();
        try
        {
            await Task.Yield();
            var ok = await journeys.RunAsync(kind, journeyRandom, cancellationToken).ConfigureAwait(false);
            counters.OnFinished(ok);
            return ok;
        }
#pragma warning disable CA1031 // A journey that broke in an unforeseen way is a failed journey, never a dead generator.
        catch (Exception)
#pragma warning restore CA1031
        {
            counters.OnFinished(false);
            return false;
        }
        finally
        {
            stats.Leave();
            _slots.Release();
        }
    }
}
