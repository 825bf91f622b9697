using System.Collections.Concurrent;

namespace StageSet.Cel;

/// <summary>
/// Compiled programs of one environment keyed by expression text: thread-safe and bounded. When full, the least
/// recently used half is dropped, so a stream of distinct expressions cannot grow memory without limit.
/// Owned by whoever creates it (there is no process-wide cache).
/// </summary>
public sealed class CelProgramCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _trimLock = new();
    private long _clock;

    public CelProgramCache(CelEnvironment environment, int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Environment = environment;
        Capacity = capacity;
    }

    public CelEnvironment Environment { get; }

    public int Capacity { get; }

    public int Count => _entries.Count;

    /// <summary>The compilation of <paramref name="expression"/> (failures are cached too: they do not change).</summary>
    public CelCompilation Compile(string expression)
    {
        var now = Interlocked.Increment(ref _clock);
        if (_entries.TryGetValue(expression, out var hit))
        {
            hit.LastUsed = now;
            return hit.Compilation;
        }

        var entry = _entries.GetOrAdd(expression, e => new Entry(Environment.Compile(e)) { LastUsed = now });
        if (_entries.Count > Capacity)
        {
            Trim();
        }

        return entry.Compilation;
    }

    private void Trim()
    {
        lock (_trimLock)
        {
            if (_entries.Count <= Capacity)
            {
                return;
            }

            var keep = Capacity / 2;
            foreach (var old in _entries.OrderByDescending(kv => kv.Value.LastUsed).Skip(keep).ToList())
            {
                _entries.TryRemove(old.Key, out _);
            }
        }
    }

    private sealed class Entry(CelCompilation compilation)
    {
        public CelCompilation Compilation { get; } = compilation;

        public long LastUsed { get; set; }
    }
}
