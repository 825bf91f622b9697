using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Storage;

/// <summary>How long watch history (and so resumable resourceVersions) is retained.</summary>
internal sealed record HistoryLimits(int MaxEvents, TimeSpan MaxAge)
{
    public static readonly HistoryLimits Default = new(10_000, TimeSpan.FromMinutes(5));
}

/// <summary>
/// The whole persisted state: one global resourceVersion counter, an immutable sorted table per storage key, the
/// event history watchers resume from, and live subscriptions. Every write is serialised by one lock, which is what
/// makes resourceVersions strictly increase and events arrive in order.
/// </summary>
internal sealed class ObjectStore
{
    private static readonly ImmutableSortedDictionary<string, StoredObject> EmptyTable =
        ImmutableSortedDictionary.Create<string, StoredObject>(StringComparer.Ordinal);

    /// <summary>Subscribe to this key to see events of every storage key.</summary>
    public const string AllStorage = "*";

    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly HistoryLimits _limits;
    private readonly Dictionary<string, ImmutableSortedDictionary<string, StoredObject>> _tables = new(StringComparer.Ordinal);
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<StoreSubscription> _subscriptions = [];
    private readonly Dictionary<(string Storage, long Rv), ImmutableSortedDictionary<string, StoredObject>> _snapshots = [];
    private readonly Queue<(string Storage, long Rv)> _snapshotOrder = new();
    private long _rv;

    // Every event with a resourceVersion above this is still in _history.
    private long _floor;

    public ObjectStore(TimeProvider clock, HistoryLimits limits)
    {
        _clock = clock;
        _limits = limits;
    }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _rv;
            }
        }
    }

    /// <summary>The oldest resourceVersion a watch can still resume from.</summary>
    public long Floor
    {
        get
        {
            lock (_lock)
            {
                return _floor;
            }
        }
    }

    public StoredObject? Get(string storage, string ns, string name)
    {
        lock (_lock)
        {
            return Table(storage).GetValueOrDefault(StoreKeys.Of(ns, name));
        }
    }

    /// <summary>The objects of a storage key (optionally one namespace) and the resourceVersion they are current at.</summary>
    public StoreList List(string storage, string? ns)
    {
        lock (_lock)
        {
            return new StoreList(Table(storage), _rv, ns);
        }
    }

    /// <summary>Keeps the list state at <paramref name="list"/>'s resourceVersion so continue tokens can page through it.</summary>
    public void RememberSnapshot(string storage, StoreList list)
    {
        lock (_lock)
        {
            if (_snapshots.TryAdd((storage, list.ResourceVersion), list.Table))
            {
                _snapshotOrder.Enqueue((storage, list.ResourceVersion));
                while (_snapshotOrder.Count > 256)
                {
                    _snapshots.Remove(_snapshotOrder.Dequeue());
                }
            }
        }
    }

    /// <summary>The list state at exactly <paramref name="rv"/>, or <see cref="ExpiredException"/>.</summary>
    public StoreList ListAt(string storage, string? ns, long rv)
    {
        lock (_lock)
        {
            if (rv == _rv)
            {
                return new StoreList(Table(storage), _rv, ns);
            }

            if (rv >= _floor && _snapshots.TryGetValue((storage, rv), out var table))
            {
                return new StoreList(table, rv, ns);
            }

            throw new ExpiredException(rv, _floor);
        }
    }

    public StoredObject Create(string storage, JsonObject obj, ObjectIndex index)
    {
        lock (_lock)
        {
            var table = Table(storage);
            var key = StoreKeys.Of(KubeObject.Namespace(obj), KubeObject.Name(obj));
            if (table.ContainsKey(key))
            {
                throw new StoreException(StoreError.AlreadyExists);
            }

            var stored = Persist(obj, index);
            _tables[storage] = table.Add(key, stored);
            Publish(new StoreEvent(WatchEventType.Added, storage, stored, null, _clock.GetUtcNow()));
            return stored;
        }
    }

    /// <summary>Replaces the object if it is still at <paramref name="expectedRv"/> (optimistic concurrency).</summary>
    public StoredObject Update(string storage, JsonObject obj, long expectedRv, ObjectIndex index)
    {
        lock (_lock)
        {
            var table = Table(storage);
            var key = StoreKeys.Of(KubeObject.Namespace(obj), KubeObject.Name(obj));
            if (!table.TryGetValue(key, out var previous))
            {
                throw new StoreException(StoreError.NotFound);
            }

            if (previous.ResourceVersion != expectedRv)
            {
                throw new StoreException(StoreError.Conflict);
            }

            var stored = Persist(obj, index);
            _tables[storage] = table.SetItem(key, stored);
            Publish(new StoreEvent(WatchEventType.Modified, storage, stored, previous, _clock.GetUtcNow()));
            return stored;
        }
    }

    /// <summary>Removes the object if still at <paramref name="expectedRv"/>; the DELETED event carries its last state at a new resourceVersion.</summary>
    public StoredObject Delete(string storage, string ns, string name, long expectedRv)
    {
        lock (_lock)
        {
            var table = Table(storage);
            var key = StoreKeys.Of(ns, name);
            if (!table.TryGetValue(key, out var previous))
            {
                throw new StoreException(StoreError.NotFound);
            }

            if (previous.ResourceVersion != expectedRv)
            {
                throw new StoreException(StoreError.Conflict);
            }

            var last = Persist(previous.ToJsonObject(), previous.Index);
            _tables[storage] = table.Remove(key);
            Publish(new StoreEvent(WatchEventType.Deleted, storage, last, previous, _clock.GetUtcNow()));
            return last;
        }
    }

    /// <summary>
    /// Starts a watch: with <paramref name="fromRv"/> null the current objects come back as synthetic ADDED events,
    /// otherwise every retained event after it. Throws <see cref="ExpiredException"/> when history no longer reaches back.
    /// </summary>
    public StoreSubscription Subscribe(string storage, string? ns, long? fromRv, out IReadOnlyList<StoreEvent> initial)
    {
        lock (_lock)
        {
            var events = new List<StoreEvent>();
            if (fromRv is null)
            {
                var now = _clock.GetUtcNow();
                foreach (var obj in new StoreList(Table(storage), _rv, ns).Items)
                {
                    events.Add(new StoreEvent(WatchEventType.Added, storage, obj, null, now));
                }
            }
            else
            {
                if (fromRv.Value < _floor)
                {
                    throw new ExpiredException(fromRv.Value, _floor);
                }

                foreach (var e in _history)
                {
                    if (e.ResourceVersion > fromRv.Value && (e.StorageKey == storage || storage == AllStorage) && (ns is null || e.Object.Namespace == ns))
                    {
                        events.Add(e);
                    }
                }
            }

            initial = events;
            var subscription = new StoreSubscription(this, storage, ns);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Forgets history at or below <paramref name="rv"/>: older watch resourceVersions and continue tokens get 410.</summary>
    public void CompactTo(long rv)
    {
        lock (_lock)
        {
            _floor = Math.Max(_floor, Math.Min(rv, _rv));
            while (_history.First is { } first && first.Value.ResourceVersion <= _floor)
            {
                _history.RemoveFirst();
            }

            foreach (var key in _snapshots.Keys.Where(k => k.Rv < _floor).ToList())
            {
                _snapshots.Remove(key);
            }
        }
    }

    internal void Unsubscribe(StoreSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private ImmutableSortedDictionary<string, StoredObject> Table(string storage) =>
        _tables.GetValueOrDefault(storage) ?? EmptyTable;

    private StoredObject Persist(JsonObject obj, ObjectIndex index)
    {
        var rv = ++_rv;
        KubeObject.EnsureMetadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        return new StoredObject(StoredObject.Serialize(obj), rv, KubeObject.Namespace(obj), KubeObject.Name(obj), index);
    }

    private void Publish(StoreEvent e)
    {
        _history.AddLast(e);
        var oldest = e.Time - _limits.MaxAge;
        while (_history.First is { } first && (_history.Count > _limits.MaxEvents || first.Value.Time < oldest))
        {
            _floor = Math.Max(_floor, first.Value.ResourceVersion);
            _history.RemoveFirst();
        }

        foreach (var s in _subscriptions)
        {
            if ((s.StorageKey == e.StorageKey || s.StorageKey == AllStorage) && (s.Namespace is null || s.Namespace == e.Object.Namespace))
            {
                s.Writer.TryWrite(e);
            }
        }
    }
}

/// <summary>A consistent list result: the table as of <see cref="ResourceVersion"/>.</summary>
internal sealed class StoreList(ImmutableSortedDictionary<string, StoredObject> table, long resourceVersion, string? ns)
{
    public ImmutableSortedDictionary<string, StoredObject> Table { get; } = table;

    public long ResourceVersion { get; } = resourceVersion;

    /// <summary>Objects in key order, optionally from <paramref name="startKey"/> on (inclusive).</summary>
    public IEnumerable<StoredObject> From(string? startKey)
    {
        foreach (var (key, obj) in Table)
        {
            if (startKey is not null && string.CompareOrdinal(key, startKey) < 0)
            {
                continue;
            }

            if (ns is null || obj.Namespace == ns)
            {
                yield return obj;
            }
        }
    }

    public IEnumerable<StoredObject> Items => From(null);
}

/// <summary>A live feed of store events for one storage key (and namespace); dispose to stop.</summary>
internal sealed class StoreSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });

    internal StoreSubscription(ObjectStore store, string storageKey, string? ns)
    {
        _store = store;
        StorageKey = storageKey;
        Namespace = ns;
    }

    public string StorageKey { get; }

    public string? Namespace { get; }

    public ChannelReader<StoreEvent> Reader => _channel.Reader;

    internal ChannelWriter<StoreEvent> Writer => _channel.Writer;

    public void Dispose()
    {
        _store.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
