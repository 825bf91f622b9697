using StageSet.Controller.Runtime;

namespace StageSet.Controller.Tests.Runtime;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_item_added_twice_before_processing_is_handed_out_once()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        var first = await queue.GetAsync(CancellationToken.None).WaitAsync(Deadline);
        var second = await queue.GetAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Equal(["a", "b"], new[] { first.Item, second.Item });
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task An_item_added_while_processing_is_handed_out_again_only_after_done()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var taken = await queue.GetAsync(CancellationToken.None).WaitAsync(Deadline);
        queue.Add("a");

        Assert.Equal(0, queue.Depth); // not available to a second worker while "a" is processed
        queue.Done(taken.Item);
        Assert.Equal(1, queue.Depth);
        var again = await queue.GetAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal("a", again.Item);
    }

    [Fact]
    public async Task Delayed_adds_arrive_after_the_delay_and_the_earliest_due_time_wins()
    {
        var clock = new ManualClock();
        using var queue = new WorkQueue<string>(clock: clock);
        queue.AddAfter("a", TimeSpan.FromMinutes(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));

        var get = queue.GetAsync(CancellationToken.None);
        // The queue's delay loop arms its timer on its own thread; move the clock only once it has.
        await clock.UntilTimerDueAsync(clock.GetUtcNow() + TimeSpan.FromSeconds(5), Deadline);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(get.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        var item = await get.WaitAsync(Deadline);
        Assert.Equal("a", item.Item);
        queue.Done("a");

        // The superseded 10-minute entry must not come back: a later item is the next one handed out.
        queue.AddAfter("b", TimeSpan.FromMinutes(11));
        await clock.UntilTimerDueAsync(clock.GetUtcNow() + TimeSpan.FromMinutes(11), Deadline);
        clock.Advance(TimeSpan.FromMinutes(12));
        var next = await queue.GetAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal("b", next.Item);
    }

    [Fact]
    public void Rate_limited_requeues_back_off_exponentially_until_forgotten()
    {
        using var queue = new WorkQueue<string>(clock: new ManualClock());

        var delays = Enumerable.Range(0, 4).Select(_ => queue.AddRateLimited("a")).ToList();
        queue.Forget("a");

        Assert.Equal(
            new[] { 5, 10, 20, 40 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
            delays);
        Assert.Equal(TimeSpan.FromMilliseconds(5), queue.AddRateLimited("a"));
    }

    [Fact]
    public void Backoff_is_capped_at_1000_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(1000), BackoffPolicy.Default.For(30));
    }

    [Fact]
    public async Task Shut_down_releases_waiting_workers()
    {
        using var queue = new WorkQueue<string>();
        var get = queue.GetAsync(CancellationToken.None);

        queue.ShutDown();

        var result = await get.WaitAsync(Deadline);
        Assert.False(result.Ok);
    }
}

/// <summary>A clock tests move by hand, so delays are observed without sleeping.</summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<(DateTimeOffset Due, TimerCallback Callback, object? State, ManualTimer Timer)> _timers = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Polls (real time, bounded) until a live timer is due exactly at <paramref name="due"/>.</summary>
    public async Task UntilTimerDueAsync(DateTimeOffset due, TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        while (true)
        {
            lock (_lock)
            {
                if (_timers.Any(t => t.Due == due && !t.Timer.Disposed))
                {
                    return;
                }
            }

            await Task.Delay(1, cts.Token);
        }
    }

    public void Advance(TimeSpan by)
    {
        List<(TimerCallback Callback, object? State)> due;
        lock (_lock)
        {
            _now += by;
            due = [.. _timers.Where(t => t.Due <= _now && !t.Timer.Disposed).Select(t => (t.Callback, t.State))];
            _timers.RemoveAll(t => t.Due <= _now || t.Timer.Disposed);
        }

        foreach (var (callback, state) in due)
        {
            callback(state);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer();
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_lock)
            {
                _timers.Add((_now + dueTime, callback, state, timer));
            }
        }

        return timer;
    }

    internal sealed class ManualTimer : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
