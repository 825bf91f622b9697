using System.Text;
using System.Text.Json.Nodes;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Admission;

/// <summary>The update rules of §7: fields that may not change once set, with kube-apiserver's messages.</summary>
internal static class ImmutableFields
{
    private const string ImmutableWhenSet = "field is immutable when `immutable` is set";

    private static readonly string[] MutableStatefulSetSpec =
        ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds", "revisionHistoryLimit"];

    public static List<FieldError> Validate(JsonObject oldObj, JsonObject newObj, GroupKind kind)
    {
        var errors = new List<FieldError>();
        var oldSpec = oldObj["spec"] as JsonObject;
        var newSpec = newObj["spec"] as JsonObject;
        switch (kind.Group, kind.Kind)
        {
            case ("", "Service"):
                ClusterIps(oldSpec, newSpec, errors);
                break;
            case ("apps", "Deployment" or "DaemonSet" or "ReplicaSet"):
                Selector(oldSpec, newSpec, errors);
                break;
            case ("apps", "StatefulSet"):
                if (!JsonNode.DeepEquals(Without(oldSpec, MutableStatefulSetSpec), Without(newSpec, MutableStatefulSetSpec)))
                {
                    errors.Add(FieldError.Forbidden("spec",
                        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
                }

                break;
            case ("batch", "Job"):
                Selector(oldSpec, newSpec, errors);
                if (!JsonNode.DeepEquals(oldSpec?["template"], newSpec?["template"]))
                {
                    // Go prints the whole internal PodTemplateSpec here; only its type name is reproduced.
                    errors.Add(FieldError.Invalid("spec.template", "core.PodTemplateSpec{…}", "field is immutable"));
                }

                break;
            case ("", "PersistentVolumeClaim"):
                ClaimSpec(oldObj, newObj, errors);
                break;
            case ("storage.k8s.io", "StorageClass"):
                StorageClass(oldObj, newObj, errors);
                break;
            case ("", "Secret"):
                if (!JsonNode.DeepEquals(oldObj["type"], newObj["type"]))
                {
                    errors.Add(FieldError.Invalid("type", GoSyntax.Scalar(newObj["type"]), "field is immutable"));
                }

                ImmutableData(oldObj, newObj, ["data"], errors);
                break;
            case ("", "ConfigMap"):
                ImmutableData(oldObj, newObj, ["data", "binaryData"], errors);
                break;
            case ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding"):
                if (!JsonNode.DeepEquals(RoleRef(oldObj["roleRef"]), RoleRef(newObj["roleRef"])))
                {
                    errors.Add(FieldError.Invalid("roleRef", GoSyntax.RoleRef(newObj["roleRef"]), "cannot change roleRef"));
                }

                break;
        }

        return errors;
    }

    /// <summary>
    /// The primary cluster IP may not change (unless the Service is or becomes ExternalName). A changed singular
    /// <c>clusterIP</c> counts as the new primary, as kube-apiserver normalises it before validating.
    /// </summary>
    private static void ClusterIps(JsonObject? oldSpec, JsonObject? newSpec, List<FieldError> errors)
    {
        if (Json.Str(oldSpec?["type"]) == "ExternalName" || Json.Str(newSpec?["type"]) == "ExternalName")
        {
            return;
        }

        var oldIps = Ips(oldSpec);
        var newIps = Ips(newSpec);
        var newSingular = Json.Str(newSpec?["clusterIP"]);
        if (newSingular.Length > 0 && newSingular != Json.Str(oldSpec?["clusterIP"]) && newIps.SequenceEqual(oldIps))
        {
            newIps = newIps.Count == 0 ? [newSingular] : [newSingular, .. newIps.Skip(1)];
        }

        if (oldIps.Count > 0 && newIps.Count > 0 && oldIps[0] != newIps[0])
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", GoSyntax.StringSlice(new JsonArray(newIps.Select(ip => (JsonNode?)ip).ToArray())), "may not change once set"));
        }

        static List<string> Ips(JsonObject? spec) =>
            spec?["clusterIPs"] is JsonArray ips ? ips.Select(Json.Str).ToList()
            : Json.Str(spec?["clusterIP"]) is { Length: > 0 } ip ? [ip]
            : [];
    }

    private static void Selector(JsonObject? oldSpec, JsonObject? newSpec, List<FieldError> errors)
    {
        if (!JsonNode.DeepEquals(oldSpec?["selector"], newSpec?["selector"]))
        {
            errors.Add(FieldError.Invalid("spec.selector", GoSyntax.LabelSelector(newSpec?["selector"]), "field is immutable"));
        }
    }

    /// <summary>Claims are immutable except a once-set volumeName and, when bound, the storage request (never shrinking).</summary>
    private static void ClaimSpec(JsonObject oldObj, JsonObject newObj, List<FieldError> errors)
    {
        var oldSpec = (JsonObject)(oldObj["spec"]?.DeepClone() ?? new JsonObject());
        var newSpec = (JsonObject)(newObj["spec"]?.DeepClone() ?? new JsonObject());
        if (Json.Str(oldSpec["volumeName"]).Length == 0)
        {
            oldSpec["volumeName"] = newSpec["volumeName"]?.DeepClone();
        }

        var bound = Json.Str(newObj["status"]?["phase"]) == "Bound";
        var oldStorage = oldObj["spec"]?["resources"]?["requests"]?["storage"];
        var newStorage = newObj["spec"]?["resources"]?["requests"]?["storage"];
        if (bound && newSpec["resources"]?["requests"] is JsonObject requests)
        {
            requests["storage"] = oldStorage?.DeepClone();
        }

        if (!JsonNode.DeepEquals(Normalized(oldSpec), Normalized(newSpec)))
        {
            errors.Add(FieldError.Forbidden("spec",
                "spec is immutable after creation except resources.requests for bound claims\n" + Diff(oldSpec, newSpec)));
        }

        if (bound && Bytes(newStorage) is { } newSize && Bytes(oldStorage) is { } oldSize && newSize < oldSize)
        {
            errors.Add(FieldError.Forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
        }

        static JsonObject Normalized(JsonObject spec)
        {
            foreach (var (key, value) in spec.ToList())
            {
                if (value is null)
                {
                    spec.Remove(key);
                }
            }

            return spec;
        }
    }

    private static decimal? Bytes(JsonNode? quantity) =>
        Quantity.Canonical(quantity) is { } canonical && Quantity.Value(canonical) is { } value ? value : null;

    /// <summary>A field-by-field account of what changed, in the spirit of the <c>cmp.Diff</c> kube-apiserver appends.</summary>
    private static string Diff(JsonObject oldSpec, JsonObject newSpec)
    {
        var sb = new StringBuilder("  core.PersistentVolumeClaimSpec{\n");
        foreach (var key in oldSpec.Select(p => p.Key).Union(newSpec.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var before = oldSpec[key];
            var after = newSpec[key];
            if (!JsonNode.DeepEquals(before, after))
            {
                sb.Append("- \t").Append(key).Append(": ").Append(before?.ToJsonString() ?? "nil").Append(",\n");
                sb.Append("+ \t").Append(key).Append(": ").Append(after?.ToJsonString() ?? "nil").Append(",\n");
            }
        }

        return sb.Append("  }\n").ToString();
    }

    private static void StorageClass(JsonObject oldObj, JsonObject newObj, List<FieldError> errors)
    {
        foreach (var field in (string[])["parameters", "provisioner", "reclaimPolicy"])
        {
            if (!JsonNode.DeepEquals(oldObj[field], newObj[field]))
            {
                errors.Add(FieldError.Forbidden(field, $"updates to {field} are forbidden."));
            }
        }

        if (!JsonNode.DeepEquals(oldObj["volumeBindingMode"], newObj["volumeBindingMode"]))
        {
            errors.Add(FieldError.Invalid("volumeBindingMode", GoSyntax.Scalar(newObj["volumeBindingMode"]), "field is immutable"));
        }
    }

    private static void ImmutableData(JsonObject oldObj, JsonObject newObj, string[] fields, List<FieldError> errors)
    {
        if (!IsTrue(oldObj["immutable"]))
        {
            return;
        }

        if (!IsTrue(newObj["immutable"]))
        {
            errors.Add(FieldError.Forbidden("immutable", ImmutableWhenSet));
        }

        foreach (var field in fields)
        {
            if (!JsonNode.DeepEquals(oldObj[field], newObj[field]))
            {
                errors.Add(FieldError.Forbidden(field, ImmutableWhenSet));
            }
        }
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static JsonObject RoleRef(JsonNode? roleRef) => new()
    {
        ["apiGroup"] = Json.Str(roleRef?["apiGroup"]),
        ["kind"] = Json.Str(roleRef?["kind"]),
        ["name"] = Json.Str(roleRef?["name"]),
    };

    private static JsonObject? Without(JsonObject? spec, string[] fields)
    {
        if (spec is null)
        {
            return null;
        }

        var copy = (JsonObject)spec.DeepClone();
        foreach (var field in fields)
        {
            copy.Remove(field);
        }

        return copy;
    }
}
