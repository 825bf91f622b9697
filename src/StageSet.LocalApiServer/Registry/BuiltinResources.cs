namespace StageSet.LocalApiServer.Registry;

/// <summary>The built-in resources of api-server.md §2, as kube-apiserver 1.32 serves them.</summary>
internal static class BuiltinResources
{
    public static IReadOnlyList<ResourceType> All { get; } = Build();

    private static List<ResourceType> Build()
    {
        string[] all = ["all"];
        string[] apiExtensions = ["api-extensions"];
        return
        [
            Core("namespaces", "Namespace", false, ["ns"], sub: ["status", "finalize"], verbs: ResourceVerbs.NoDeleteCollection, returnsObject: true),
            Core("configmaps", "ConfigMap", true, ["cm"]),
            Core("secrets", "Secret", true, []),
            Core("services", "Service", true, ["svc"], all, ["status"], returnsObject: true),
            Core("serviceaccounts", "ServiceAccount", true, ["sa"], sub: ["token"], returnsObject: true),
            Core("pods", "Pod", true, ["po"], all, ["status"], returnsObject: true),
            Core("persistentvolumeclaims", "PersistentVolumeClaim", true, ["pvc"], sub: ["status"]),
            Core("events", "Event", true, ["ev"]),
            Core("endpoints", "Endpoints", true, ["ep"]),
            Core("persistentvolumes", "PersistentVolume", false, ["pv"], sub: ["status"]),
            Of("apps", "v1", "deployments", "Deployment", true, ["deploy"], all, ["status", "scale"], GenerationRule.SpecOrAnnotations),
            Of("apps", "v1", "statefulsets", "StatefulSet", true, ["sts"], all, ["status", "scale"], GenerationRule.Spec),
            Of("apps", "v1", "replicasets", "ReplicaSet", true, ["rs"], all, ["status", "scale"], GenerationRule.Spec),
            Of("apps", "v1", "daemonsets", "DaemonSet", true, ["ds"], all, ["status"], GenerationRule.Spec),
            Of("batch", "v1", "jobs", "Job", true, [], all, ["status"], GenerationRule.Spec),
            Of("batch", "v1", "cronjobs", "CronJob", true, ["cj"], all, ["status"], GenerationRule.Spec),
            Of("rbac.authorization.k8s.io", "v1", "roles", "Role", true),
            Of("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true),
            Of("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false),
            Of("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false),
            Of("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, ["crd", "crds"], apiExtensions, ["status"], GenerationRule.Spec),
            Of("coordination.k8s.io", "v1", "leases", "Lease", true),
            Of("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false, [], apiExtensions, [], GenerationRule.Webhooks),
            Of("events.k8s.io", "v1", "events", "Event", true, ["ev"]),
            Of("networking.k8s.io", "v1", "ingresses", "Ingress", true, ["ing"], [], ["status"], GenerationRule.Spec),
            Of("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, ["netpol"], [], [], GenerationRule.Spec),
            Of("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, ["pdb"], [], ["status"], GenerationRule.Spec),
            Of("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, ["hpa"], all, ["status"]),
            Of("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, ["sc"], returnsObject: true),
            Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false),
            Review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false),
            Review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", false),
            Review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", true),
            Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", false),
        ];
    }

    private static ResourceType Core(
        string resource, string kind, bool namespaced, string[] shortNames, string[]? categories = null, string[]? sub = null,
        IReadOnlyList<string>? verbs = null, bool returnsObject = false) =>
        new()
        {
            Group = "",
            Version = "v1",
            Resource = resource,
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames,
            Categories = categories ?? [],
            Subresources = sub ?? [],
            Verbs = verbs ?? ResourceVerbs.All,
            DeleteReturnsObject = returnsObject,
        };

    private static ResourceType Of(
        string group, string version, string resource, string kind, bool namespaced, string[]? shortNames = null,
        string[]? categories = null, string[]? sub = null, GenerationRule generation = GenerationRule.None, bool returnsObject = false) =>
        new()
        {
            Group = group,
            Version = version,
            Resource = resource,
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Subresources = sub ?? [],
            Generation = generation,
            DeleteReturnsObject = returnsObject,
        };

    private static ResourceType Review(string group, string resource, string kind, bool namespaced) =>
        new()
        {
            Group = group,
            Version = "v1",
            Resource = resource,
            Kind = kind,
            Namespaced = namespaced,
            Verbs = ResourceVerbs.CreateOnly,
            IsReview = true,
        };
}
