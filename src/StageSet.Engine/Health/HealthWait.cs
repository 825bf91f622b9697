using System.Text;
using StageSet.Manifests;

namespace StageSet.Engine.Health;

/// <summary>Where one poll of a stage's wait set stands.</summary>
public enum WaitState
{
    /// <summary>Every object is Current (an empty set is trivially ready).</summary>
    Ready,

    /// <summary>Not all Current and nothing Failed: poll again until the deadline.</summary>
    Waiting,

    /// <summary>At least one object is Failed: stop waiting now (Flux's fail-fast).</summary>
    Stalled,
}

/// <summary>The verdict of one poll; <see cref="Cause"/> is set for <see cref="WaitState.Stalled"/>.</summary>
public sealed record WaitCheck(WaitState State, IReadOnlyList<ResourceStatus> Statuses, string? Cause);

/// <summary>
/// The kstatus half of a stage's verify phase, as Flux's <c>WaitForSet</c> with fail-fast decides it, with Flux's
/// wording for causes (<c>failed early due to stalled resources: [...]</c>, <c>timeout waiting for: [...]</c>).
/// Polling, the deadline and re-reading are the caller's; this only judges what was read.
/// </summary>
public static class HealthWait
{
    public const string StalledHeader = "failed early due to stalled resources";
    public const string TimeoutHeader = "timeout waiting for";

    public static WaitCheck Check(IReadOnlyList<ResourceStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var aggregate = StatusReader.Aggregate(statuses.Select(s => s.Status), ObjectStatus.Current);
        if (aggregate == ObjectStatus.Current)
        {
            return new WaitCheck(WaitState.Ready, statuses, null);
        }

        var failed = statuses.Where(s => s.Status == ObjectStatus.Failed).ToList();
        return failed.Count == 0
            ? new WaitCheck(WaitState.Waiting, statuses, null)
            : new WaitCheck(WaitState.Stalled, statuses, Cause(StalledHeader, failed));
    }

    /// <summary>
    /// After the deadline, on a fresh read: the set is still progressing when nothing is Failed. Objects that could
    /// not be read (Unknown) do not count as failed.
    /// </summary>
    public static bool StillProgressing(IReadOnlyList<ResourceStatus> reread)
    {
        ArgumentNullException.ThrowIfNull(reread);
        return reread.All(s => s.Status != ObjectStatus.Failed);
    }

    /// <summary>Flux's timeout message: every object that is not Current, in wait-set order.</summary>
    public static string TimeoutCause(IReadOnlyList<ResourceStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return Cause(TimeoutHeader, statuses.Where(s => s.Status != ObjectStatus.Current));
    }

    /// <summary>Flux's short object reference: <c>Kind/namespace/name</c>, or <c>Kind/name</c> when cluster-scoped.</summary>
    public static string Format(ObjectIdentity id) =>
        id.Namespace.Length == 0 ? id.Kind + "/" + id.Name : id.Kind + "/" + id.Namespace + "/" + id.Name;

    private static string Cause(string header, IEnumerable<ResourceStatus> statuses)
    {
        var sb = new StringBuilder(header).Append(": [");
        var first = true;
        foreach (var s in statuses)
        {
            sb.Append(first ? "" : ", ").Append(Format(s.Identity)).Append(" status: '").Append(s.Status).Append('\'');
            if (s.Error is { Length: > 0 } error)
            {
                sb.Append(": ").Append(error);
            }

            first = false;
        }

        return sb.Append(']').ToString();
    }
}
