namespace StageSet.LocalApiServer.Storage;

internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One persisted change; <see cref="Previous"/> lets watchers see selector transitions.</summary>
internal sealed record StoreEvent(WatchEventType Type, string StorageKey, StoredObject Object, StoredObject? Previous, DateTimeOffset Time)
{
    public long ResourceVersion => Object.ResourceVersion;
}

/// <summary>Why a store operation failed; the HTTP layer turns these into Status bodies.</summary>
internal enum StoreError
{
    NotFound,
    AlreadyExists,
    Conflict,
}

internal sealed class StoreException(StoreError error) : Exception(error.ToString())
{
    public StoreError Error { get; } = error;
}

/// <summary>A resourceVersion or continue token older than the retained history (410 Expired).</summary>
internal sealed class ExpiredException(long requested, long oldest) : Exception($"too old resource version: {requested} ({oldest})")
{
    public long Requested { get; } = requested;

    public long Oldest { get; } = oldest;
}
