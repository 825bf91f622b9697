using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Health;

/// <summary>The status of one object of a wait set, as the status poller reports it.</summary>
public sealed record ResourceStatus(ObjectIdentity Identity, ObjectStatus Status, string Message, string? Error = null);

/// <summary>
/// The status readers Flux's health check uses, over an already-performed read: Flux's Job rule for Jobs, the pod
/// controller rule for StatefulSets and ReplicaSets (a Failed Pod turns an in-progress owner Failed), kstatus'
/// Compute for everything else; NotFound for a missing object and Unknown when the read or the computation fails.
/// </summary>
public static class StatusReader
{
    private static readonly GroupKind Job = new("batch", "Job");

    /// <summary>
    /// Kinds whose status also depends on their Pods; the controller lists Pods matching <c>spec.selector</c> in the
    /// object's namespace and passes them in <see cref="LiveRead.Found"/> (or the listing error).
    /// </summary>
    public static bool TracksPods(GroupKind groupKind) =>
        groupKind == new GroupKind("apps", "StatefulSet") || groupKind == new GroupKind("apps", "ReplicaSet");

    public static ResourceStatus Read(ObjectIdentity identity, LiveRead read, DateTimeOffset now) =>
        Read(identity, read, obj => identity.GroupKind == Job ? FluxJobStatus.Conditions(obj) : KStatus.Compute(obj, now));

    /// <summary>The reader with the status function as a seam; it may throw <see cref="KStatusException"/>.</summary>
    internal static ResourceStatus Read(ObjectIdentity identity, LiveRead read, Func<JsonObject, StatusResult> compute)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Error is { } error)
        {
            return new ResourceStatus(identity, ObjectStatus.Unknown, "", error);
        }

        if (read.Object is not { } obj)
        {
            return new ResourceStatus(identity, ObjectStatus.NotFound, "Resource not found");
        }

        var tracksPods = TracksPods(identity.GroupKind);
        if (tracksPods && read.PodsError is { } podsError)
        {
            return new ResourceStatus(identity, ObjectStatus.Unknown, "", podsError);
        }

        var (result, computeError) = Compute(obj, compute);
        if (result is null)
        {
            return new ResourceStatus(identity, ObjectStatus.Unknown, "", computeError);
        }

        if (result.Status == ObjectStatus.InProgress && tracksPods && read.Pods is { } pods)
        {
            var failedPods = pods.Count(pod => Compute(pod, compute).Result?.Status == ObjectStatus.Failed);
            if (failedPods > 0)
            {
                return new ResourceStatus(identity, ObjectStatus.Failed, $"{failedPods} pods have failed");
            }
        }

        return new ResourceStatus(identity, result.Status, result.Message);
    }

    /// <summary>
    /// kstatus' aggregate over a set: Failed if any is Failed, else Unknown if any is Unknown, else the desired
    /// status when all reached it, else InProgress. An empty set has reached the desired status.
    /// </summary>
    public static ObjectStatus Aggregate(IEnumerable<ObjectStatus> statuses, ObjectStatus desired)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var allDesired = true;
        var anyUnknown = false;
        foreach (var s in statuses)
        {
            if (s == ObjectStatus.Failed)
            {
                return ObjectStatus.Failed;
            }

            anyUnknown |= s == ObjectStatus.Unknown;
            allDesired &= s == desired;
        }

        return anyUnknown ? ObjectStatus.Unknown : allDesired ? desired : ObjectStatus.InProgress;
    }

    private static (StatusResult? Result, string? Error) Compute(JsonObject obj, Func<JsonObject, StatusResult> compute)
    {
        try
        {
            return (compute(obj), null);
        }
        catch (KStatusException e)
        {
            return (null, e.Message);
        }
    }
}
