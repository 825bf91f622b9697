using System.Collections.Frozen;
using StageSet.Manifests;

namespace StageSet.Engine.Apply;

/// <summary>
/// Flux ssa's reconcile order: listed kinds first in their listed order (namespaces and CRDs, then classes, RBAC,
/// config, services, workloads), unlisted kinds in the middle, webhook configurations last; ties broken by group,
/// kind, namespace and name in byte order, so the order never depends on the input order.
/// </summary>
public static class KindOrder
{
    private static readonly string[] First =
    [
        "CustomResourceDefinition",
        "Namespace",
        "ClusterClass",
        "RuntimeClass",
        "PriorityClass",
        "StorageClass",
        "VolumeSnapshotClass",
        "IngressClass",
        "GatewayClass",
        "ResourceQuota",
        "ServiceAccount",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "ConfigMap",
        "Secret",
        "Service",
        "LimitRange",
        "Deployment",
        "StatefulSet",
        "CronJob",
        "PodDisruptionBudget",
    ];

    private static readonly string[] Last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    private static readonly FrozenDictionary<string, int> Rank = First.Select((kind, i) => (kind, rank: i - First.Length))
        .Concat(Last.Select((kind, i) => (kind, rank: i + 1)))
        .ToFrozenDictionary(x => x.kind, x => x.rank, StringComparer.Ordinal);

    /// <summary>Apply order; reversed, it is the delete order.</summary>
    public static IComparer<ObjectIdentity> Comparer { get; } = Comparer<ObjectIdentity>.Create(Compare);

    public static int Compare(ObjectIdentity a, ObjectIdentity b)
    {
        if (a.Group != b.Group || a.Kind != b.Kind)
        {
            var byRank = RankOf(a.Kind).CompareTo(RankOf(b.Kind));
            if (byRank != 0)
            {
                return byRank;
            }

            var byGroup = string.CompareOrdinal(a.Group, b.Group);
            return byGroup != 0 ? byGroup : string.CompareOrdinal(a.Kind, b.Kind);
        }

        var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
    }

    private static int RankOf(string kind) => Rank.GetValueOrDefault(kind);
}
