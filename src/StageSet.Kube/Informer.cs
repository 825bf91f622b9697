using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StageSet.Manifests;

namespace StageSet.Kube;

public enum InformerEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A change seen by an informer, after the cache was updated. <see cref="Object"/> is read-only.</summary>
public sealed record InformerEvent(InformerEventType Type, JsonObject Object, JsonObject? Previous);

public sealed record InformerOptions
{
    /// <summary>Null or empty: the whole cluster; else one list/watch per namespace.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }

    public string? LabelSelector { get; init; }

    /// <summary>Longest pause after failures, and the re-check cadence while the kind is not served.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Server-side lifetime of one watch call; resuming after it keeps connections fresh.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// List-and-watch cache of one kind: one LIST, then WATCH from its resourceVersion; resumes from the last seen
/// resourceVersion when a watch ends, relists on 410 Gone, follows bookmarks. A kind the server does not serve
/// (CRD not installed) is retried until it appears; the informer is simply not synced meanwhile.
/// Cached objects are shared: treat them as read-only and clone before editing.
/// </summary>
public sealed class Informer : IAsyncDisposable
{
    private readonly DynamicClient _client;
    private readonly InformerOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, JsonObject> _store = new(StringComparer.Ordinal);
    private readonly List<Action<InformerEvent>> _handlers = [];
    private readonly Lock _handlerLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _loops = [];
    private int _unsyncedScopes;
    private long _lists;
    private long _watches;

    public Informer(DynamicClient client, GroupVersionKind kind, InformerOptions? options = null, ILogger? log = null)
    {
        _client = client;
        Kind = kind;
        _options = options ?? new InformerOptions();
        _log = log ?? NullLogger.Instance;
    }

    public GroupVersionKind Kind { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>True while the server does not serve the kind.</summary>
    public bool KindUnavailable { get; private set; }

    /// <summary>LIST calls made (first sync plus relists).</summary>
    public long ListCount => Interlocked.Read(ref _lists);

    /// <summary>WATCH calls opened (first watch plus resumes).</summary>
    public long WatchCount => Interlocked.Read(ref _watches);

    /// <summary>Registers a handler; it runs on the informer's loop, so it must be quick (enqueue, index).</summary>
    public void Subscribe(Action<InformerEvent> handler)
    {
        lock (_handlerLock)
        {
            _handlers.Add(handler);
        }
    }

    public void Start()
    {
        string?[] scopes = _options.Namespaces is { Count: > 0 } ns ? [.. ns.Distinct()] : [null];
        _unsyncedScopes = scopes.Length;
        foreach (var scope in scopes)
        {
            _loops.Add(Task.Run(() => RunAsync(scope, _stop.Token)));
        }
    }

    public Task WaitForSyncAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    public JsonObject? Get(string? ns, string name) => _store.GetValueOrDefault(Key(ns, name));

    public IReadOnlyList<JsonObject> List(string? ns = null) =>
        ns is null
            ? [.. _store.Values]
            : [.. _store.Values.Where(o => KubeObject.Namespace(o) == ns)];

    private static string Key(string? ns, string name) => (ns ?? "") + "/" + name;

    private static string Key(JsonObject obj) => Key(KubeObject.Namespace(obj), KubeObject.Name(obj));

    private static string Rv(JsonObject obj) => KubeObject.Metadata(obj)?["resourceVersion"]?.GetValue<string>() ?? "";

    private async Task RunAsync(string? ns, CancellationToken ct)
    {
        var failures = 0;
        var syncedOnce = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await _client.ListAsync(Kind, ns, new ListOptions { LabelSelector = _options.LabelSelector }, ct)
                    .ConfigureAwait(false);
                Interlocked.Increment(ref _lists);
                KindUnavailable = false;
                Replace(ns, list.Items);
                if (!syncedOnce)
                {
                    syncedOnce = true;
                    if (Interlocked.Decrement(ref _unsyncedScopes) == 0)
                    {
                        _synced.TrySetResult();
                    }
                }

                failures = 0;
                await WatchFromAsync(ns, list.ResourceVersion, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (NoKindMatchException)
            {
                KindUnavailable = true;
                await PauseAsync(_options.MaxBackoff, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failures++;
                _log.LogWarning(ex, "list of {Kind} failed; retrying", Kind);
                await PauseAsync(Backoff(failures), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Watches until the history is gone (410) or an unexpected failure; returns so the caller relists.</summary>
    private async Task WatchFromAsync(string? ns, string resourceVersion, CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var gone = false;
            try
            {
                Interlocked.Increment(ref _watches);
                var seconds = (int)Math.Max(1, _options.WatchTimeout.TotalSeconds);
                var options = new WatchOptions(resourceVersion)
                {
                    LabelSelector = _options.LabelSelector,
                    TimeoutSeconds = seconds + Random.Shared.Next(0, Math.Max(1, seconds / 5)),
                };
                await foreach (var evt in _client.WatchAsync(Kind, ns, options, ct).ConfigureAwait(false))
                {
                    failures = 0;
                    switch (evt.Type)
                    {
                        case "ADDED" or "MODIFIED":
                            Upsert(evt.Object);
                            resourceVersion = evt.ResourceVersion.Length > 0 ? evt.ResourceVersion : resourceVersion;
                            break;
                        case "DELETED":
                            Remove(evt.Object);
                            resourceVersion = evt.ResourceVersion.Length > 0 ? evt.ResourceVersion : resourceVersion;
                            break;
                        case "BOOKMARK":
                            resourceVersion = evt.ResourceVersion.Length > 0 ? evt.ResourceVersion : resourceVersion;
                            break;
                        case "ERROR":
                            gone = evt.Object["code"]?.GetValue<int>() == 410;
                            if (!gone)
                            {
                                _log.LogInformation("watch of {Kind} ended with an error event: {Message}", Kind,
                                    evt.Object["message"]?.GetValue<string>());
                            }

                            break;
                    }

                    if (evt.Type == "ERROR")
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                gone = true;
            }
            catch (NoKindMatchException)
            {
                throw;
            }
            catch (Exception ex)
            {
                failures++;
                _log.LogDebug(ex, "watch of {Kind} dropped; resuming", Kind);
                if (failures > 5)
                {
                    return;
                }

                await PauseAsync(Backoff(failures), ct).ConfigureAwait(false);
            }

            if (gone)
            {
                return;
            }
        }
    }

    private void Replace(string? ns, IReadOnlyList<JsonObject> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            seen.Add(Key(item));
            Upsert(item);
        }

        foreach (var (key, obj) in _store)
        {
            if ((ns is null || KubeObject.Namespace(obj) == ns) && !seen.Contains(key))
            {
                Remove(obj);
            }
        }
    }

    private void Upsert(JsonObject obj)
    {
        obj["apiVersion"] ??= Kind.ApiVersion;
        obj["kind"] ??= Kind.Kind;
        var key = Key(obj);
        _store.TryGetValue(key, out var previous);
        if (previous is not null && Rv(previous) == Rv(obj))
        {
            return;
        }

        _store[key] = obj;
        Notify(new InformerEvent(previous is null ? InformerEventType.Added : InformerEventType.Modified, obj, previous));
    }

    private void Remove(JsonObject obj)
    {
        if (_store.TryRemove(Key(obj), out var previous))
        {
            Notify(new InformerEvent(InformerEventType.Deleted, previous, previous));
        }
    }

    private void Notify(InformerEvent evt)
    {
        Action<InformerEvent>[] handlers;
        lock (_handlerLock)
        {
            handlers = [.. _handlers];
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(evt);
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "informer handler for {Kind} failed", Kind);
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var ms = Math.Min(_options.MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 16)));
        return TimeSpan.FromMilliseconds(ms);
    }

    private static async Task PauseAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on stop.
        }

        _stop.Dispose();
    }
}
