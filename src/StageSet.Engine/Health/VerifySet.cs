using StageSet.Manifests;

namespace StageSet.Engine.Health;

/// <summary>A <c>readyChecks.checks[]</c> entry: an extra object to wait for, which the stage need not have applied.</summary>
public sealed record ReadyCheckRef(string? ApiVersion, string Kind, string Name, string? Namespace);

/// <summary>Which objects a stage's kstatus wait covers (flux-source-contract.md §6, stageset-api.md §4).</summary>
public static class VerifySet
{
    /// <summary>
    /// The applied objects (none with <c>disableWait</c>) followed by the ready checks, each object once. A check's
    /// version is ignored (kstatus keys on GroupKind); its namespace defaults to the StageSet's and is dropped for
    /// kinds <paramref name="isClusterScoped"/> says are cluster-scoped.
    /// </summary>
    public static IReadOnlyList<ObjectIdentity> Build(
        IEnumerable<ObjectIdentity> applied,
        bool disableWait,
        IEnumerable<ReadyCheckRef> checks,
        string stageSetNamespace,
        Func<GroupKind, bool> isClusterScoped)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(isClusterScoped);
        var set = new List<ObjectIdentity>();
        var seen = new HashSet<ObjectIdentity>();
        foreach (var id in (disableWait ? [] : applied).Concat(checks.Select(c => Resolve(c, stageSetNamespace, isClusterScoped))))
        {
            if (seen.Add(id))
            {
                set.Add(id);
            }
        }

        return set;
    }

    private static ObjectIdentity Resolve(ReadyCheckRef check, string stageSetNamespace, Func<GroupKind, bool> isClusterScoped)
    {
        var group = GroupVersion.Parse(check.ApiVersion).Group;
        var ns = isClusterScoped(new GroupKind(group, check.Kind))
            ? ""
            : string.IsNullOrEmpty(check.Namespace) ? stageSetNamespace : check.Namespace;
        return new ObjectIdentity(group, check.Kind, ns, check.Name);
    }
}
