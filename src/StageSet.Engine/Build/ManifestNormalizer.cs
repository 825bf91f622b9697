using System.Text;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Build;

/// <summary>
/// §4 steps 8, 11 and 12: flatten <c>*List</c> documents, drop <c>status</c> (except on CRDs), fold Secret
/// <c>stringData</c> into <c>data</c>, default port protocols to TCP, and drop kustomize's placeholder Namespace.
/// These make the render compare equal to what the API server would store, so apply and drift detection do not
/// chase server-side defaults.
/// </summary>
public static class ManifestNormalizer
{
    private static readonly HashSet<string> PodTemplateKinds =
        ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"];

    /// <summary>Objects of a rendered stream: documents flattened, normalised, placeholder dropped.</summary>
    public static List<JsonObject> Normalize(IEnumerable<JsonNode> documents, string source)
    {
        var result = new List<JsonObject>();
        foreach (var doc in documents)
        {
            Flatten(doc, source, result);
        }

        result.RemoveAll(o => KubeObject.Kind(o) == "Namespace" && KubeObject.ApiVersion(o) == "v1"
                              && KubeObject.Name(o) == "_placeholder");
        foreach (var obj in result)
        {
            NormalizeObject(obj);
        }

        return result;
    }

    /// <summary>Splits <c>*List</c> objects (recursively) and bare JSON arrays into their member objects.</summary>
    public static void Flatten(JsonNode? node, string source, List<JsonObject> into)
    {
        switch (node)
        {
            case null:
                return;
            case JsonArray array:
                foreach (var item in array)
                {
                    Flatten(item, source, into);
                }

                return;
            case JsonObject obj when KubeObject.Kind(obj).EndsWith("List", StringComparison.Ordinal)
                                     && obj["items"] is JsonArray items:
                foreach (var item in items)
                {
                    Flatten(item?.DeepClone(), source, into);
                }

                return;
            case JsonObject obj:
                into.Add(obj);
                return;
            default:
                throw new BuildException($"failed to decode Kubernetes YAML from {source}: a document is not an object");
        }
    }

    public static void NormalizeObject(JsonObject obj)
    {
        var gvk = KubeObject.Gvk(obj);
        if (!(gvk.Group == "apiextensions.k8s.io" && gvk.Kind == "CustomResourceDefinition"))
        {
            obj.Remove("status");
        }

        if (gvk.Group.Length > 0 && gvk.Group is not ("apps" or "batch"))
        {
            return;
        }

        switch (gvk.Kind)
        {
            case "Secret" when gvk.Group.Length == 0:
                FoldStringData(obj);
                break;
            case "Service" when gvk.Group.Length == 0:
                DefaultProtocols(obj["spec"]?["ports"]);
                break;
            case "Pod" when gvk.Group.Length == 0:
                DefaultPodSpec(obj["spec"]);
                break;
            case "CronJob" when gvk.Group == "batch":
                DefaultPodSpec(obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]);
                break;
            case var kind when PodTemplateKinds.Contains(kind):
                DefaultPodSpec(obj["spec"]?["template"]?["spec"]);
                break;
        }
    }

    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        if (secret["data"] is not JsonObject data)
        {
            data = new JsonObject();
            secret["data"] = data;
        }

        foreach (var (key, value) in stringData)
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        secret.Remove("stringData");
    }

    private static void DefaultPodSpec(JsonNode? spec)
    {
        foreach (var list in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            if (spec?[list] is JsonArray containers)
            {
                foreach (var container in containers)
                {
                    DefaultProtocols(container?["ports"]);
                }
            }
        }
    }

    private static void DefaultProtocols(JsonNode? ports)
    {
        if (ports is not JsonArray array)
        {
            return;
        }

        foreach (var port in array)
        {
            if (port is JsonObject p && p["protocol"] is null)
            {
                p["protocol"] = "TCP";
            }
        }
    }
}
