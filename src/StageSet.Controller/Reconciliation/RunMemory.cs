using System.Collections.Concurrent;
using StageSet.Controller.Runtime;
using StageSet.Engine.Inventory;
using StageSet.Manifests;

namespace StageSet.Controller.Reconciliation;

/// <summary>A stage finished in the current run: what it applied, for the prune plan at the end.</summary>
internal sealed record CompletedStage(string Name, int Position, bool Prune, IReadOnlyList<InventoryEntry> Entries,
    string Revision);

/// <summary>A stage applied in the current run whose health is still being waited for.</summary>
internal sealed record VerifyingStage(string Name, int Position, bool Prune, IReadOnlyList<InventoryEntry> Entries,
    IReadOnlyList<ObjectRef> WaitSet, IReadOnlyList<ObjectRef> Applied, string Revision, DateTimeOffset AppliedAt);

/// <summary>An object to read back during verify: its identity and the apiVersion to read it with.</summary>
internal sealed record ObjectRef(ObjectIdentity Identity, string ApiVersion)
{
    public GroupVersionKind Kind => GroupVersionKind.From(ApiVersion, Identity.Kind);
}

/// <summary>
/// Progress of one StageSet's run across reconciles. A stage waiting for health is a requeue, not a worker held
/// in a sleep: the next reconcile finds the run here and, when nothing changed (same fingerprint: generation,
/// requestedAt, pinned revisions), resumes the wait instead of re-applying. <see cref="Previous"/> is the inventory
/// as it was when the run started, before this run rewrote any shard.
/// </summary>
internal sealed record RunState(string Fingerprint, InventorySnapshot Previous, IReadOnlyList<CompletedStage> Completed,
    VerifyingStage? Verifying);

/// <summary>
/// Runs in progress, in memory. Deliberately not persisted: after a controller restart a run starts over, its
/// re-apply is a no-op for unchanged objects, and the verify deadline counts again from that re-apply — a restart
/// can extend a stage's wait by at most the time already waited, and never cuts it short.
/// </summary>
internal sealed class RunMemory
{
    private readonly ConcurrentDictionary<ObjectKey, RunState> _runs = new();

    public RunState? Get(ObjectKey key, string fingerprint) =>
        _runs.TryGetValue(key, out var run) && run.Fingerprint == fingerprint ? run : null;

    public void Set(ObjectKey key, RunState run) => _runs[key] = run;

    public void Forget(ObjectKey key) => _runs.TryRemove(key, out _);
}
