namespace StageSet.LocalApiServer.Faults;

/// <summary>One served (or injected) request.</summary>
public sealed record RequestRecord(
    long Seq,
    DateTimeOffset Time,
    string Method,
    string Path,
    string Query,
    RequestFacts Facts,
    string ImpersonatedUser,
    string Caller,
    string FieldManager,
    string PatchType,
    bool DryRun,
    int Status,
    TimeSpan Latency,
    bool Injected);

/// <summary>
/// Every request the server answered, in order. Tests count and wait on it instead of sleeping. Thread-safe.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<RequestRecord> _records = [];
    private long _seq;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A copy of the records so far.</summary>
    public IReadOnlyList<RequestRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>How many recorded requests match (by default without the version probe and discovery/OpenAPI).</summary>
    public int Count(RequestMatch? match = null) => CountSince(0, match);

    /// <summary>A position to count from later (<see cref="CountSince"/>).</summary>
    public long Mark()
    {
        lock (_lock)
        {
            return _seq;
        }
    }

    public int CountSince(long mark, RequestMatch? match = null)
    {
        var m = match ?? new RequestMatch { ExcludeDiscovery = true };
        lock (_lock)
        {
            return _records.Count(r => r.Seq > mark && m.Matches(r.Facts));
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> matching requests are recorded, or throws at the deadline.</summary>
    public async Task WaitForCountAsync(RequestMatch match, int count, TimeSpan deadline, long since = 0)
    {
        using var cts = new CancellationTokenSource(deadline);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_records.Count(r => r.Seq > since && match.Matches(r.Facts)) >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"expected {count} requests matching {match} within {deadline}, saw {CountSince(since, match)}");
            }
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _records.Clear();
        }
    }

    internal long NextSeq()
    {
        lock (_lock)
        {
            return ++_seq;
        }
    }

    internal void Add(RequestRecord record)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _records.Add(record);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
