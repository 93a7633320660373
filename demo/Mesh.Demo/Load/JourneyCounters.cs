namespace Mesh.Demo.Load;

/// <summary>What one kind of journey did so far. Updated lock-free from every in-flight journey.</summary>
internal sealed class JourneyCounters
{
    private long _started;
    private long _succeeded;
    private long _failed;
    private long _dropped;
    private long _requests;
    private long _errors;

    public long Started => Interlocked.Read(ref _started);

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Journeys due but not started because the concurrency bound was reached.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests answered with a status other than the one the journey expected, or not answered.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public void OnStarted() => Interlocked.Increment(ref _started);

    public void OnFinished(bool succeeded)
    {
        if (succeeded)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void OnDropped() => Interlocked.Increment(ref _dropped);

    public void OnRequest(bool error)
    {
        Interlocked.Increment(ref _requests);
        if (error)
        {
            Interlocked.Increment(ref _errors);
        }
    }
}
