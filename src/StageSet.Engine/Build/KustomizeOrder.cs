using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Build;

/// <summary>
/// kustomize's default ("legacy") output order, so a tree read natively prints exactly like one built by kustomize:
/// a fixed list of kinds first, webhook configurations last, everything else between, ties by group/version/kind,
/// namespace and name.
/// </summary>
internal static class KustomizeOrder
{
    private static readonly string[] First =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
        "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
        "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ];

    private static readonly string[] Last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public static List<JsonObject> Sort(IEnumerable<JsonObject> objects) =>
        [.. objects.Select((o, i) => (o, i)).OrderBy(x => Rank(KubeObject.Kind(x.o)))
            .ThenBy(x => GvkKey(x.o), StringComparer.Ordinal)
            .ThenBy(x => KubeObject.Namespace(x.o), StringComparer.Ordinal)
            .ThenBy(x => KubeObject.Name(x.o), StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.o)];

    private static int Rank(string kind)
    {
        var first = Array.IndexOf(First, kind);
        if (first >= 0)
        {
            return first - First.Length;
        }

        var last = Array.IndexOf(Last, kind);
        return last >= 0 ? last + 1 : 0;
    }

    private static string GvkKey(JsonObject o)
    {
        var gvk = KubeObject.Gvk(o);
        return gvk.Group + "_" + gvk.Version + "_" + gvk.Kind;
    }
}
