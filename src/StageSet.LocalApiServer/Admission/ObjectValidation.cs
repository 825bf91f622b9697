using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Admission;

/// <summary>
/// The create-time required checks of §7 that kube-apiserver runs on every write of these kinds: containers need a
/// name and image, workloads a selector that matches their template, Services valid ports, RBAC rules verbs, and
/// bindings a valid role reference and subjects. Messages are kube-apiserver's.
/// </summary>
internal static class ObjectValidation
{
    public static List<FieldError> Validate(JsonObject obj, GroupKind kind)
    {
        var errors = new List<FieldError>();
        var spec = obj["spec"] as JsonObject;
        switch (kind.Group, kind.Kind)
        {
            case ("", "Pod"):
                PodSpec(spec, "spec", errors);
                break;
            case ("apps", "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet"):
                Workload(spec, kind.Kind, errors);
                break;
            case ("batch", "Job"):
                PodSpec(spec?["template"]?["spec"] as JsonObject, "spec.template.spec", errors);
                break;
            case ("batch", "CronJob"):
                if (Json.Str(spec?["schedule"]).Length == 0)
                {
                    errors.Add(FieldError.Required("spec.schedule"));
                }

                PodSpec(spec?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject, "spec.jobTemplate.spec.template.spec", errors);
                break;
            case ("", "Service"):
                Service(spec, errors);
                break;
            case ("rbac.authorization.k8s.io", "Role"):
                Rules(obj, namespaced: true, errors);
                break;
            case ("rbac.authorization.k8s.io", "ClusterRole"):
                if (obj["aggregationRule"] is null)
                {
                    Rules(obj, namespaced: false, errors);
                }

                break;
            case ("rbac.authorization.k8s.io", "RoleBinding"):
                Binding(obj, namespaced: true, errors);
                break;
            case ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
                Binding(obj, namespaced: false, errors);
                break;
        }

        return errors;
    }

    private static void Workload(JsonObject? spec, string kind, List<FieldError> errors)
    {
        var selector = spec?["selector"];
        if (selector is null)
        {
            errors.Add(FieldError.Required("spec.selector"));
        }
        else if (LabelSelectors.IsEmpty(selector))
        {
            var what = kind switch
            {
                "StatefulSet" => "statefulset",
                "DaemonSet" => "daemonset",
                _ => "deployment",
            };
            errors.Add(FieldError.Invalid("spec.selector", GoSyntax.LabelSelector(selector), "empty selector is invalid for " + what));
        }

        var labels = spec?["template"]?["metadata"]?["labels"];
        if (selector is not null && !LabelSelectors.IsEmpty(selector) && !LabelSelectors.Matches(selector, labels))
        {
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", GoSyntax.StringMap(labels), "`selector` does not match template `labels`"));
        }

        PodSpec(spec?["template"]?["spec"] as JsonObject, "spec.template.spec", errors);
    }

    private static void PodSpec(JsonObject? spec, string path, List<FieldError> errors)
    {
        var containers = spec?["containers"] as JsonArray;
        if (containers is null || containers.Count == 0)
        {
            errors.Add(FieldError.Required(path + ".containers"));
        }

        foreach (var list in (string[])["initContainers", "containers"])
        {
            var i = 0;
            foreach (var container in spec?[list] as JsonArray ?? [])
            {
                var at = $"{path}.{list}[{i++}]";
                if (Json.Str(container?["name"]).Length == 0)
                {
                    errors.Add(FieldError.Required(at + ".name"));
                }

                if (Json.Str(container?["image"]).Length == 0)
                {
                    errors.Add(FieldError.Required(at + ".image"));
                }
            }
        }
    }

    private static void Service(JsonObject? spec, List<FieldError> errors)
    {
        var type = Json.Str(spec?["type"]);
        var ports = spec?["ports"] as JsonArray;
        var headless = Json.Str(spec?["clusterIP"]) == "None";
        if (type != "ExternalName" && !headless && (ports is null || ports.Count == 0))
        {
            errors.Add(FieldError.Required("spec.ports"));
        }

        var i = 0;
        foreach (var port in ports ?? [])
        {
            var number = Json.Long(port?["port"]) ?? 0;
            if (number is < 1 or > 65535)
            {
                errors.Add(FieldError.Invalid($"spec.ports[{i}].port", number.ToString(CultureInfo.InvariantCulture), "must be between 1 and 65535, inclusive"));
            }

            i++;
        }
    }

    private static void Rules(JsonObject role, bool namespaced, List<FieldError> errors)
    {
        var i = 0;
        foreach (var rule in role["rules"] as JsonArray ?? [])
        {
            var at = $"rules[{i++}]";
            if (Count(rule?["verbs"]) == 0)
            {
                errors.Add(FieldError.Required(at + ".verbs", "verbs must contain at least one value"));
            }

            if (Count(rule?["nonResourceURLs"]) > 0)
            {
                var urls = GoSyntax.StringSlice(rule?["nonResourceURLs"]);
                if (namespaced)
                {
                    errors.Add(FieldError.Invalid(at + ".nonResourceURLs", urls, "namespaced rules cannot apply to non-resource URLs"));
                }

                if (Count(rule?["apiGroups"]) > 0 || Count(rule?["resources"]) > 0 || Count(rule?["resourceNames"]) > 0)
                {
                    errors.Add(FieldError.Invalid(at + ".nonResourceURLs", urls, "rules cannot apply to both regular resources and non-resource URLs"));
                }

                continue;
            }

            if (Count(rule?["apiGroups"]) == 0)
            {
                errors.Add(FieldError.Required(at + ".apiGroups", "resource rules must supply at least one api group"));
            }

            if (Count(rule?["resources"]) == 0)
            {
                errors.Add(FieldError.Required(at + ".resources", "resource rules must supply at least one resource"));
            }
        }
    }

    private static void Binding(JsonObject binding, bool namespaced, List<FieldError> errors)
    {
        var roleRef = binding["roleRef"];
        var apiGroup = Json.Str(roleRef?["apiGroup"]);
        if (apiGroup != "rbac.authorization.k8s.io")
        {
            errors.Add(FieldError.NotSupported("roleRef.apiGroup", FieldError.Quote(apiGroup), ["rbac.authorization.k8s.io"]));
        }

        var roleKind = Json.Str(roleRef?["kind"]);
        string[] kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        if (!kinds.Contains(roleKind))
        {
            errors.Add(FieldError.NotSupported("roleRef.kind", FieldError.Quote(roleKind), kinds));
        }

        if (Json.Str(roleRef?["name"]).Length == 0)
        {
            errors.Add(FieldError.Required("roleRef.name"));
        }

        var i = 0;
        foreach (var subject in binding["subjects"] as JsonArray ?? [])
        {
            var at = $"subjects[{i++}]";
            if (Json.Str(subject?["name"]).Length == 0)
            {
                errors.Add(FieldError.Required(at + ".name"));
            }

            var group = Json.Str(subject?["apiGroup"]);
            switch (Json.Str(subject?["kind"]))
            {
                case "ServiceAccount":
                    if (group.Length > 0)
                    {
                        errors.Add(FieldError.NotSupported(at + ".apiGroup", FieldError.Quote(group), [""]));
                    }

                    if (!namespaced && Json.Str(subject?["namespace"]).Length == 0)
                    {
                        errors.Add(FieldError.Required(at + ".namespace"));
                    }

                    break;
                case "User" or "Group":
                    if (group != "rbac.authorization.k8s.io")
                    {
                        errors.Add(FieldError.NotSupported(at + ".apiGroup", FieldError.Quote(group), ["rbac.authorization.k8s.io"]));
                    }

                    break;
                default:
                    errors.Add(FieldError.NotSupported(at + ".kind", FieldError.Quote(Json.Str(subject?["kind"])), ["ServiceAccount", "User", "Group"]));
                    break;
            }
        }
    }

    private static int Count(JsonNode? list) => (list as JsonArray)?.Count ?? 0;
}
