namespace StageSet.Controller.Runtime;

/// <summary>Per-item exponential backoff for failed reconciles: base doubling per failure, capped.</summary>
public sealed record BackoffPolicy(TimeSpan Base, TimeSpan Max)
{
    /// <summary>controller-runtime's default: 5 ms doubling up to 1000 s.</summary>
    public static BackoffPolicy Default { get; } = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

    public TimeSpan For(int failures)
    {
        var ms = Base.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 40));
        return ms >= Max.TotalMilliseconds ? Max : TimeSpan.FromMilliseconds(ms);
    }
}

/// <summary>
/// A de-duplicating work queue in the style of client-go: an item queued twice is processed once, an item is
/// never processed by two workers at once (a change arriving while it is processed queues it again afterwards),
/// delayed adds keep the earliest due time, and failures back off per item.
/// </summary>
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _ready = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, DateTimeOffset> _waitingDue = [];
    private readonly PriorityQueue<T, DateTimeOffset> _waiting = new();
    private readonly Dictionary<T, int> _failures = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeProvider _clock;
    private readonly BackoffPolicy _backoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _delayLoop;
    private TaskCompletionSource _waitingChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _shutDown;
    private long _adds;
    private long _retries;

    public WorkQueue(BackoffPolicy? backoff = null, TimeProvider? clock = null)
    {
        _backoff = backoff ?? BackoffPolicy.Default;
        _clock = clock ?? TimeProvider.System;
        _delayLoop = Task.Run(DelayLoopAsync);
    }

    /// <summary>Items ready to be handed to a worker.</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    public long Adds => Interlocked.Read(ref _adds);

    public long Retries => Interlocked.Read(ref _retries);

    public void Add(T item)
    {
        lock (_lock)
        {
            if (_shutDown || !_dirty.Add(item))
            {
                return;
            }

            Interlocked.Increment(ref _adds);
            if (_processing.Contains(item))
            {
                return;
            }

            _ready.Enqueue(item);
        }

        _available.Release();
    }

    /// <summary>Adds after <paramref name="delay"/>; an earlier pending due time for the same item wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        TaskCompletionSource signal;
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }

            var due = _clock.GetUtcNow() + delay;
            if (_waitingDue.TryGetValue(item, out var existing) && existing <= due)
            {
                return;
            }

            _waitingDue[item] = due;
            _waiting.Enqueue(item, due);
            signal = _waitingChanged;
            _waitingChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>Re-queues after this item's next backoff step.</summary>
    public TimeSpan AddRateLimited(T item)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures + 1;
            delay = _backoff.For(failures);
        }

        Interlocked.Increment(ref _retries);
        AddAfter(item, delay);
        return delay;
    }

    /// <summary>Clears the item's failure history (after a successful reconcile).</summary>
    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int Failures(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }

    /// <summary>Waits for the next item; returns false once the queue is shut down.</summary>
    public async Task<(bool Ok, T Item)> GetAsync(CancellationToken ct)
    {
        while (true)
        {
            await _available.WaitAsync(ct).ConfigureAwait(false);
            lock (_lock)
            {
                if (_shutDown)
                {
                    _available.Release();
                    return (false, default!);
                }

                if (_ready.TryDequeue(out var item))
                {
                    _dirty.Remove(item);
                    _processing.Add(item);
                    return (true, item);
                }
            }
        }
    }

    /// <summary>Marks processing finished; an item changed meanwhile is handed out again.</summary>
    public void Done(T item)
    {
        var requeue = false;
        lock (_lock)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item) && !_shutDown)
            {
                _ready.Enqueue(item);
                requeue = true;
            }
        }

        if (requeue)
        {
            _available.Release();
        }
    }

    public void ShutDown()
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            _shutDown = true;
            signal = _waitingChanged;
        }

        _stop.Cancel();
        signal.TrySetResult();
        _available.Release();
    }

    private async Task DelayLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Task changed;
            TimeSpan? wait = null;
            var due = new List<T>();
            lock (_lock)
            {
                changed = _waitingChanged.Task;
                var now = _clock.GetUtcNow();
                while (_waiting.TryPeek(out var item, out var at))
                {
                    if (!_waitingDue.TryGetValue(item, out var current) || current != at)
                    {
                        _waiting.Dequeue(); // superseded by an earlier due time
                        continue;
                    }

                    if (at > now)
                    {
                        wait = at - now;
                        break;
                    }

                    _waiting.Dequeue();
                    _waitingDue.Remove(item);
                    due.Add(item);
                }
            }

            foreach (var item in due)
            {
                Add(item);
            }

            try
            {
                if (wait is { } w)
                {
                    await Task.WhenAny(changed, Task.Delay(w, _clock, _stop.Token)).ConfigureAwait(false);
                }
                else
                {
                    await changed.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        ShutDown();
        try
        {
            _delayLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop only ends by cancellation.
        }

        _stop.Dispose();
        _available.Dispose();
    }
}
