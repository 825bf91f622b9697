using System.Collections.Frozen;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// The JSON of a built-in kind's Go zero value, reduced to its structure: non-pointer structs (<c>{}</c>) and
/// collections written even when nil (<c>null</c>). kube-apiserver compares typed objects, where these always exist,
/// so a new label map gets <c>".":{}</c> in an Update entry but <c>spec</c> or <c>spec.template</c> never do
/// (api-server.md §6.3). Custom resources have no zero value beyond <c>{}</c>.
/// </summary>
internal static class ZeroValues
{
    private const string PodTemplate = """{"metadata":{},"spec":{"containers":null}}""";

    private static readonly FrozenDictionary<GroupKind, string> ByKind = new Dictionary<GroupKind, string>
    {
        [new("", "Namespace")] = """{"metadata":{},"spec":{},"status":{}}""",
        [new("", "ConfigMap")] = """{"metadata":{}}""",
        [new("", "Secret")] = """{"metadata":{}}""",
        [new("", "ServiceAccount")] = """{"metadata":{}}""",
        [new("", "Service")] = """{"metadata":{},"spec":{},"status":{"loadBalancer":{}}}""",
        [new("", "Pod")] = """{"metadata":{},"spec":{"containers":null},"status":{}}""",
        [new("", "PersistentVolumeClaim")] = """{"metadata":{},"spec":{"resources":{}},"status":{}}""",
        [new("", "PersistentVolume")] = """{"metadata":{},"spec":{},"status":{}}""",
        [new("", "Event")] = """{"metadata":{},"involvedObject":{},"source":{}}""",
        [new("", "Endpoints")] = """{"metadata":{}}""",
        [new("apps", "Deployment")] = """{"metadata":{},"spec":{"selector":null,"template":TEMPLATE,"strategy":{}},"status":{}}""",
        [new("apps", "StatefulSet")] = """{"metadata":{},"spec":{"selector":null,"template":TEMPLATE,"updateStrategy":{}},"status":{}}""",
        [new("apps", "ReplicaSet")] = """{"metadata":{},"spec":{"selector":null,"template":TEMPLATE},"status":{}}""",
        [new("apps", "DaemonSet")] = """{"metadata":{},"spec":{"selector":null,"template":TEMPLATE,"updateStrategy":{}},"status":{}}""",
        [new("batch", "Job")] = """{"metadata":{},"spec":{"template":TEMPLATE},"status":{}}""",
        [new("batch", "CronJob")] = """{"metadata":{},"spec":{"jobTemplate":{"metadata":{},"spec":{"template":TEMPLATE}}},"status":{}}""",
        [new("rbac.authorization.k8s.io", "Role")] = """{"metadata":{},"rules":null}""",
        [new("rbac.authorization.k8s.io", "ClusterRole")] = """{"metadata":{},"rules":null}""",
        [new("rbac.authorization.k8s.io", "RoleBinding")] = """{"metadata":{},"roleRef":{}}""",
        [new("rbac.authorization.k8s.io", "ClusterRoleBinding")] = """{"metadata":{},"roleRef":{}}""",
        [new("apiextensions.k8s.io", "CustomResourceDefinition")] =
            """{"metadata":{},"spec":{"names":{},"versions":null},"status":{"acceptedNames":{},"storedVersions":null}}""",
        [new("coordination.k8s.io", "Lease")] = """{"metadata":{},"spec":{}}""",
        [new("admissionregistration.k8s.io", "ValidatingWebhookConfiguration")] = """{"metadata":{}}""",
        [new("events.k8s.io", "Event")] = """{"metadata":{},"regarding":{},"deprecatedSource":{}}""",
        [new("networking.k8s.io", "Ingress")] = """{"metadata":{},"spec":{},"status":{"loadBalancer":{}}}""",
        [new("networking.k8s.io", "NetworkPolicy")] = """{"metadata":{},"spec":{"podSelector":{}}}""",
        [new("policy", "PodDisruptionBudget")] = """{"metadata":{},"spec":{},"status":{}}""",
        [new("autoscaling", "HorizontalPodAutoscaler")] = """{"metadata":{},"spec":{"scaleTargetRef":{}},"status":{}}""",
        [new("storage.k8s.io", "StorageClass")] = """{"metadata":{}}""",
    }.ToFrozenDictionary(p => p.Key, p => p.Value.Replace("TEMPLATE", PodTemplate, StringComparison.Ordinal));

    /// <summary>A fresh zero value, or <c>{}</c> for kinds without one (custom resources).</summary>
    public static JsonObject For(GroupVersionKind gvk) =>
        ByKind.TryGetValue(gvk.GroupKind, out var json) ? JsonNode.Parse(json)!.AsObject() : new JsonObject();

    /// <summary>
    /// <paramref name="obj"/> with every absent zero-value node filled in, so a comparison sees the same structure a
    /// typed comparison would. Never mutates its inputs.
    /// </summary>
    public static JsonObject Overlay(JsonObject zero, JsonObject? obj)
    {
        var result = (JsonObject)(obj?.DeepClone() ?? new JsonObject());
        Fill(zero, result);
        return result;
    }

    private static void Fill(JsonObject zero, JsonObject target)
    {
        foreach (var (key, value) in zero)
        {
            if (!target.TryGetPropertyValue(key, out var existing))
            {
                target[key] = value?.DeepClone();
            }
            else if (value is JsonObject zeroChild && existing is JsonObject targetChild)
            {
                Fill(zeroChild, targetChild);
            }
        }
    }
}
