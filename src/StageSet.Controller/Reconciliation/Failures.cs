using StageSet.Api;
using StageSet.Kube;

namespace StageSet.Controller.Reconciliation;

/// <summary>How a failure wants to be retried (the spec's requeue legend).</summary>
public enum RetryKind
{
    /// <summary>retryInterval (jittered).</summary>
    Retry,

    /// <summary>Fixed one-minute re-check.</summary>
    FixedMinute,

    /// <summary>Return an error: per-item exponential backoff.</summary>
    Backoff,

    /// <summary>Wait for a watch event or a spec change.</summary>
    None,
}

/// <summary>A source could not be resolved and pinned: the Ready reason, message and requeue come with it.</summary>
public sealed class SourceFailure(string reason, string message, RetryKind retry, Exception? inner = null)
    : Exception(message, inner)
{
    public string Reason { get; } = reason;

    public RetryKind Retry { get; } = retry;
}

/// <summary>
/// A stage operation failed (<c>fetch artifact</c>, <c>build</c>, <c>apply</c>, <c>record inventory</c>,
/// <c>verify</c>...). Terminal failures (bad digest, SSRF rejection, size caps) are not retried.
/// </summary>
public sealed class StageOperationFailure(string operation, string cause, bool terminal = false, Exception? inner = null)
    : Exception(operation + ": " + cause, inner)
{
    public string Operation { get; } = operation;

    public string Cause { get; } = cause;

    public bool Terminal { get; } = terminal;

    /// <summary>RBACDenied for Forbidden and unserved kinds, else StageFailed.</summary>
    public string Reason => InnerException is { } ex && KubeErrors.IsPermissionOrKindProblem(ex)
        ? ReadyReasons.RbacDenied
        : ReadyReasons.StageFailed;

    /// <summary>Wraps any exception from a stage operation, keeping the API error verbatim.</summary>
    public static StageOperationFailure From(string operation, Exception ex) => ex switch
    {
        StageOperationFailure f => f,
        _ => new StageOperationFailure(operation, ex.Message, terminal: false, ex),
    };
}
