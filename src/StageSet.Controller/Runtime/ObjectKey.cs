namespace StageSet.Controller.Runtime;

/// <summary>A namespaced object name: the work-queue item of a reconciler.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public override string ToString() => Namespace + "/" + Name;
}

/// <summary>
/// What a reconcile asks of the queue: nothing (wait for a watch event), a requeue after a delay, or a retry
/// with per-item backoff (an error).
/// </summary>
public sealed record ReconcileResult
{
    private ReconcileResult(TimeSpan? requeueAfter, Exception? error)
    {
        RequeueAfter = requeueAfter;
        Error = error;
    }

    public TimeSpan? RequeueAfter { get; }

    public Exception? Error { get; }

    public static ReconcileResult Done { get; } = new(null, null);

    public static ReconcileResult After(TimeSpan delay) => new(delay, null);

    public static ReconcileResult Backoff(Exception error) => new(null, error);

    public override string ToString() =>
        Error is not null ? "backoff: " + Error.Message : RequeueAfter is { } d ? "requeue after " + d : "done";
}

public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct);
}
