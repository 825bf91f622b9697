using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Authorization;

/// <summary>
/// The RBAC objects kube-apiserver 1.32 creates at start-up that tests and kubectl rely on (api-server.md §8.4).
/// <c>admin</c>, <c>edit</c> and <c>view</c> are stored already aggregated (the aggregation controller is not
/// emulated) but keep their <c>aggregationRule</c> and labels, so they read like a real cluster's.
/// </summary>
public static class BootstrapRbac
{
    private const string RbacApiVersion = "rbac.authorization.k8s.io/v1";

    private static readonly string[] ReadVerbs = ["get", "list", "watch"];
    private static readonly string[] WriteVerbs = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Fresh copies on every call: the server stores and may mutate them.</summary>
    public static IReadOnlyList<JsonObject> Objects()
    {
        var view = ViewRules();
        var edit = EditRules().Concat(view).ToList();
        var admin = edit.Concat(AdminRules()).ToList();
        return
        [
            ClusterRole("cluster-admin", [Rule(["*"], ["*"], ["*"]), NonResource(["*"], ["*"])]),
            ClusterRole("admin", admin, aggregateFrom: "admin"),
            ClusterRole("edit", edit, aggregateFrom: "edit", aggregateTo: "admin"),
            ClusterRole("view", view, aggregateFrom: "view", aggregateTo: "edit"),
            ClusterRole("system:discovery", [NonResource(["get"],
                ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])]),
            ClusterRole("system:basic-user",
            [
                Rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
                Rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
            ]),
            ClusterRole("system:public-info-viewer", [NonResource(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
            ClusterRoleBinding("cluster-admin", "cluster-admin", "system:masters"),
            ClusterRoleBinding("system:discovery", "system:discovery", "system:authenticated"),
            ClusterRoleBinding("system:basic-user", "system:basic-user", "system:authenticated"),
            ClusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", "system:authenticated", "system:unauthenticated"),
        ];
    }

    private static IEnumerable<JsonObject> ViewRules() =>
    [
        Rule([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers",
            "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], ReadVerbs),
        Rule([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status",
            "resourcequotas", "resourcequotas/status"], ReadVerbs),
        Rule([""], ["namespaces"], ReadVerbs),
        Rule(["discovery.k8s.io"], ["endpointslices"], ReadVerbs),
        Rule(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
            "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], ReadVerbs),
        Rule(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], ReadVerbs),
        Rule(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], ReadVerbs),
        Rule(["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses",
            "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"], ReadVerbs),
        Rule(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], ReadVerbs),
        Rule(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], ReadVerbs),
    ];

    private static IEnumerable<JsonObject> EditRules() =>
    [
        Rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], ReadVerbs),
        Rule([""], ["serviceaccounts"], ["impersonate"]),
        Rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WriteVerbs),
        Rule([""], ["pods/eviction"], ["create"]),
        Rule([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets",
            "serviceaccounts", "services", "services/proxy"], WriteVerbs),
        Rule([""], ["serviceaccounts/token"], ["create"]),
        Rule(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale",
            "statefulsets", "statefulsets/scale"], WriteVerbs),
        Rule(["autoscaling"], ["horizontalpodautoscalers"], WriteVerbs),
        Rule(["batch"], ["cronjobs", "jobs"], WriteVerbs),
        Rule(["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies",
            "replicasets", "replicasets/scale", "replicationcontrollers/scale"], WriteVerbs),
        Rule(["policy"], ["poddisruptionbudgets"], WriteVerbs),
        Rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], WriteVerbs),
        Rule(["coordination.k8s.io"], ["leases"], AllVerbs),
    ];

    private static IEnumerable<JsonObject> AdminRules() =>
    [
        Rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
        Rule(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], AllVerbs),
    ];

    private static JsonObject Rule(string[] apiGroups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = Array(apiGroups),
        ["resources"] = Array(resources),
        ["verbs"] = Array(verbs),
    };

    private static JsonObject NonResource(string[] verbs, string[] urls) => new()
    {
        ["nonResourceURLs"] = Array(urls),
        ["verbs"] = Array(verbs),
    };

    private static JsonObject ClusterRole(string name, IEnumerable<JsonObject> rules, string? aggregateFrom = null, string? aggregateTo = null)
    {
        var role = new JsonObject
        {
            ["apiVersion"] = RbacApiVersion,
            ["kind"] = "ClusterRole",
            ["metadata"] = Metadata(name, aggregateTo),
            ["rules"] = new JsonArray(rules.Select(r => (JsonNode?)r.DeepClone()).ToArray()),
        };
        if (aggregateFrom is not null)
        {
            role["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject
                {
                    ["matchLabels"] = new JsonObject { ["rbac.authorization.k8s.io/aggregate-to-" + aggregateFrom] = "true" },
                }),
            };
        }

        return role;
    }

    private static JsonObject ClusterRoleBinding(string name, string role, params string[] groups) => new()
    {
        ["apiVersion"] = RbacApiVersion,
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name, null),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = "Group",
            ["name"] = g,
        }).ToArray()),
    };

    private static JsonObject Metadata(string name, string? aggregateTo)
    {
        var labels = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        if (aggregateTo is not null)
        {
            labels["rbac.authorization.k8s.io/aggregate-to-" + aggregateTo] = "true";
        }

        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        };
    }

    private static JsonArray Array(string[] values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
